package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json), the fields this report reads.
type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output lines name the package being built here
	Test        string
	Output      string
	FailedBuild string
}

// failure is one failed run of a test (or of a whole package, when no test failed:
// a timeout, a panic outside a test, a build error).
type failure struct {
	Package string
	Test    string // "" for the package itself
	Output  []string
}

// tally is what the report says about one test: how often it ran and failed, and the
// output of its first failure, which is the one worth reading.
type tally struct {
	Package, Test string
	Runs, Fails   int
	First         []string
}

// Report reads a `go test -json` stream and keeps every test that failed at least once.
// Only the innermost failing test of a run counts: a parent fails whenever one of its
// subtests does, and listing it would say nothing new.
type Report struct {
	tallies  map[string]*tally
	running  map[string]*runState
	pkgOut   map[string][]string // package-level output since the package started
	pkgFails map[string]int      // test failures seen per package
	build    map[string][]string
	Seeds    map[string]string // -shuffle seed per package, to repeat an order
	Failed   bool              // any package failed, whatever the reason
}

type runState struct {
	out         []string
	childFailed bool
}

// NewReport returns an empty report.
func NewReport() *Report {
	return &Report{
		tallies: map[string]*tally{}, running: map[string]*runState{},
		pkgOut: map[string][]string{}, pkgFails: map[string]int{},
		build: map[string][]string{}, Seeds: map[string]string{},
	}
}

var shuffleSeed = regexp.MustCompile(`^-test\.shuffle (\d+)`)

// Read consumes the stream; lines that are not JSON (go's own messages) are ignored.
func (r *Report) Read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		r.Add(e)
	}
	return sc.Err()
}

// Add takes one event.
func (r *Report) Add(e event) {
	if e.Action == "build-output" {
		r.build[e.ImportPath] = append(r.build[e.ImportPath], e.Output)
		return
	}
	if e.Test == "" {
		r.addPackage(e)
		return
	}
	key := e.Package + " " + e.Test
	switch e.Action {
	case "run":
		r.running[key] = &runState{}
	case "output":
		if st := r.running[key]; st != nil && !noise(e.Output) {
			st.out = append(st.out, e.Output)
		}
	case "pass", "fail":
		t := r.tallyOf(e.Package, e.Test)
		t.Runs++
		st := r.running[key]
		delete(r.running, key)
		if e.Action == "pass" {
			return
		}
		r.markAncestors(e.Package, e.Test)
		if st != nil && st.childFailed {
			t.Runs-- // counted through its subtest
			return
		}
		t.Fails++
		r.pkgFails[e.Package]++
		if t.First == nil && st != nil {
			t.First = st.out
		}
	}
}

func (r *Report) addPackage(e event) {
	switch e.Action {
	case "start":
		r.pkgOut[e.Package] = nil
	case "output":
		if m := shuffleSeed.FindStringSubmatch(e.Output); m != nil {
			r.Seeds[e.Package] = m[1]
		}
		r.pkgOut[e.Package] = append(r.pkgOut[e.Package], e.Output)
	case "fail":
		r.Failed = true
		if r.pkgFails[e.Package] > 0 {
			return
		}
		out := r.pkgOut[e.Package]
		if e.FailedBuild != "" {
			out = r.build[e.FailedBuild]
		}
		t := r.tallyOf(e.Package, "")
		t.Runs++
		t.Fails++
		if t.First == nil {
			t.First = out
		}
	}
}

// markAncestors tells each running parent of test that a subtest failed.
func (r *Report) markAncestors(pkg, test string) {
	for i := strings.LastIndex(test, "/"); i > 0; i = strings.LastIndex(test[:i], "/") {
		if st := r.running[pkg+" "+test[:i]]; st != nil {
			st.childFailed = true
		}
	}
}

func (r *Report) tallyOf(pkg, test string) *tally {
	key := pkg + " " + test
	t := r.tallies[key]
	if t == nil {
		t = &tally{Package: pkg, Test: test}
		r.tallies[key] = t
	}
	return t
}

// noise is test2json's framing, which says nothing about why a test failed.
func noise(line string) bool {
	for _, p := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// Flaky lists the tests that failed at least once, by package and name.
func (r *Report) Flaky() []tally {
	var out []tally
	for _, t := range r.tallies {
		if t.Fails > 0 {
			out = append(out, *t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Package != out[j].Package {
			return out[i].Package < out[j].Package
		}
		return out[i].Test < out[j].Test
	})
	return out
}

// maxLines bounds each failure's quoted output: the end of it says why.
const maxLines = 40

// Write prints the report for people.
func (r *Report) Write(w io.Writer) {
	flaky := r.Flaky()
	if len(flaky) == 0 {
		if r.Failed {
			fmt.Fprintln(w, "stress: a package failed, but no test in it did; see the raw output")
			return
		}
		fmt.Fprintln(w, "stress: every test passed in every run")
		return
	}
	fmt.Fprintf(w, "stress: %d test(s) failed at least once\n", len(flaky))
	for _, t := range flaky {
		name := t.Test
		if name == "" {
			name = "(the package itself)"
		}
		fmt.Fprintf(w, "\n%s %s: failed %d of %d run(s)", t.Package, name, t.Fails, t.Runs)
		if seed := r.Seeds[t.Package]; seed != "" {
			fmt.Fprintf(w, " (-shuffle=%s)", seed)
		}
		fmt.Fprintln(w)
		lines := t.First
		if len(lines) > maxLines {
			fmt.Fprintf(w, "    ... %d line(s) before\n", len(lines)-maxLines)
			lines = lines[len(lines)-maxLines:]
		}
		for _, l := range lines {
			fmt.Fprint(w, "    ", strings.TrimRight(l, "\n"), "\n")
		}
	}
}
