package web

import (
	"testing"
	"time"
)

// The file kept between an import's check and its apply: only with the check's token,
// only once, only for a while, and the newest check wins.
func TestPendingImports(t *testing.T) {
	var p pendingImports
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	p.put("ana", pendingImport{token: "t1", data: []byte("a"), at: now})
	if _, ok := p.take("ana", "other", now); ok {
		t.Fatal("a wrong token took the file")
	}
	if _, ok := p.take("radu", "t1", now); ok {
		t.Fatal("someone else took the file")
	}
	if f, ok := p.take("ana", "t1", now); !ok || string(f.data) != "a" {
		t.Fatalf("take: %v %q", ok, f.data)
	}
	if _, ok := p.take("ana", "t1", now); ok {
		t.Fatal("the file was applied twice")
	}

	p.put("ana", pendingImport{token: "t2", data: []byte("b"), at: now})
	p.put("ana", pendingImport{token: "t3", data: []byte("c"), at: now})
	if _, ok := p.take("ana", "t2", now); ok {
		t.Fatal("an older check's token took the newer file")
	}
	if _, ok := p.take("ana", "t3", now.Add(pendingImportTTL+time.Second)); ok {
		t.Fatal("an expired file was applied")
	}
}
