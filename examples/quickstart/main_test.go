package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func Example() {
	if err := run(); err != nil {
		fmt.Println(err)
	}
	// Output: NPS 40, 95% CI [-15.3, 75.3]
}

// The README shows this program's code and its output.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	code := string(src)
	body := code[strings.Index(code, "func run() error {\n")+len("func run() error {\n") : strings.LastIndex(code, "\treturn nil\n}")]
	snippet := strings.ReplaceAll(body, "\n\t", "\n")[1:]
	if !strings.Contains(string(readme), snippet) {
		t.Errorf("README does not show the body of run:\n%s", snippet)
	}
	if !strings.Contains(string(readme), "NPS 40, 95% CI [-15.3, 75.3]\n") {
		t.Error("README does not show the program's output")
	}
}
