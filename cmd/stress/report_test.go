package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Two repetitions of a package: TestA's subtest Flaky fails once, TestB always passes, and
// a second package times out outside any test.
const stream = `{"Action":"start","Package":"p"}
{"Action":"output","Package":"p","Output":"-test.shuffle 42\n"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestA/Flaky"}
{"Action":"output","Package":"p","Test":"TestA/Flaky","Output":"=== RUN   TestA/Flaky\n"}
{"Action":"output","Package":"p","Test":"TestA/Flaky","Output":"    a_test.go:9: \"\" does not contain \"To:\"\n"}
{"Action":"fail","Package":"p","Test":"TestA/Flaky"}
{"Action":"fail","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"pass","Package":"p","Test":"TestB"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestA/Flaky"}
{"Action":"pass","Package":"p","Test":"TestA/Flaky"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"pass","Package":"p","Test":"TestB"}
{"Action":"fail","Package":"p"}
{"Action":"start","Package":"q"}
{"Action":"output","Package":"q","Output":"panic: test timed out after 20m0s\n"}
{"Action":"fail","Package":"q"}
not json: go's own words
`

func TestReport_ListsEachFailingTestOnce(t *testing.T) {
	r := NewReport()
	require.NoError(t, r.Read(strings.NewReader(stream)))
	flaky := r.Flaky()
	require.Len(t, flaky, 2, "the failing subtest and the package that timed out, not TestA nor TestB")
	require.Equal(t, "TestA/Flaky", flaky[0].Test)
	require.Equal(t, 1, flaky[0].Fails)
	require.Equal(t, 2, flaky[0].Runs)
	require.Equal(t, "q", flaky[1].Package)
	require.Empty(t, flaky[1].Test)

	var out strings.Builder
	r.Write(&out)
	require.Contains(t, out.String(), "p TestA/Flaky: failed 1 of 2 run(s) (-shuffle=42)")
	require.Contains(t, out.String(), `"" does not contain "To:"`, "the failure's message")
	require.NotContains(t, out.String(), "=== RUN")
	require.Contains(t, out.String(), "q (the package itself): failed 1 of 1 run(s)")
	require.Contains(t, out.String(), "panic: test timed out")
}

func TestReport_CleanRun(t *testing.T) {
	r := NewReport()
	require.NoError(t, r.Read(strings.NewReader(`{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"pass","Package":"p","Test":"TestB"}
{"Action":"pass","Package":"p"}
`)))
	require.Empty(t, r.Flaky())
	require.False(t, r.Failed)
	var out strings.Builder
	r.Write(&out)
	require.Equal(t, "stress: every test passed in every run\n", out.String())
}
