// Command openapi writes the API's OpenAPI document, exactly as the server serves it at
// GET /api/openapi.json, to stdout or to the file named by -o: the linter and the
// TypeScript client generator read it (see clients/typescript).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	apphttp "github.com/metalpro/backend/http"
)

func main() {
	out := flag.String("o", "", "write to this file instead of stdout")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}

func write(path string) error {
	doc, err := apphttp.OpenAPI()
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, doc, "", "  "); err != nil {
		return err
	}
	pretty.WriteByte('\n')
	if path == "" {
		_, err = os.Stdout.Write(pretty.Bytes())
		return err
	}
	return os.WriteFile(path, pretty.Bytes(), 0o644)
}
