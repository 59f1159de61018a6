package web

import (
	"sync"
	"time"
)

// pendingImports keeps each admin's last checked import file between the dry run and
// "apply", so the person does not have to pick the file twice. It lives in memory: a
// restart forgets it (the page then asks for the file again), and it is bounded: one file
// per staff member, gone after pendingImportTTL, and at most pendingImportBytes in all
// (the oldest goes first).
type pendingImports struct {
	mu    sync.Mutex
	files map[string]pendingImport // by staff id
}

type pendingImport struct {
	token string // the dry run's token: the apply form must name this very file
	name  string
	data  []byte
	at    time.Time
}

const (
	pendingImportTTL   = 30 * time.Minute
	pendingImportBytes = 64 << 20
)

// put keeps data as staffID's file to apply, replacing any earlier one.
func (p *pendingImports) put(staffID string, f pendingImport) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.files == nil {
		p.files = map[string]pendingImport{}
	}
	p.files[staffID] = f
	p.sweep(f.at)
}

// take hands over staffID's file when token names it, and forgets it.
func (p *pendingImports) take(staffID, token string, now time.Time) (pendingImport, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sweep(now)
	f, ok := p.files[staffID]
	if !ok || f.token != token {
		return pendingImport{}, false
	}
	delete(p.files, staffID)
	return f, true
}

// sweep drops expired files, then the oldest until the total fits.
func (p *pendingImports) sweep(now time.Time) {
	total := 0
	for id, f := range p.files {
		if now.Sub(f.at) > pendingImportTTL {
			delete(p.files, id)
			continue
		}
		total += len(f.data)
	}
	for total > pendingImportBytes {
		oldest := ""
		for id, f := range p.files {
			if oldest == "" || f.at.Before(p.files[oldest].at) {
				oldest = id
			}
		}
		total -= len(p.files[oldest].data)
		delete(p.files, oldest)
	}
}
