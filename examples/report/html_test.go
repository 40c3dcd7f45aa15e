package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The output directory holds every chart as SVG and PNG, and one page that needs no
// other file and no JavaScript, and that renders in a headless Chromium.
func TestHTML(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	if code := run([]string{"-out", dir}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	t.Run("files", func(t *testing.T) { checkOutputs(t, dir, out.String()) })
	t.Run("chromium", func(t *testing.T) { renderInChromium(t, dir) })
}

func checkOutputs(t *testing.T, dir, text string) {
	if !strings.Contains(text, filepath.Join(dir, "report.html")) {
		t.Error("the text does not name the page")
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, bad := range []string{"<script", "<img", "<link", "<iframe", "src=", "url(", `href="http`, "@import"} {
		if strings.Contains(html, bad) {
			t.Errorf("page contains %q: it must be self-contained", bad)
		}
	}
	for _, want := range []string{"Synthetic data", "Survey scores", "Customer lifetime value", "Peak-end rule"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	charts := []string{"trend-nps", "trend-csat", "trend-ces", "segments-nps", "segments-csat", "segments-ces",
		"drivers", "funnel", "retention", "attribution", "peakend"}
	if got := strings.Count(html, `<svg class="chart"`); got != len(charts) {
		t.Errorf("page has %d inline charts, want %d", got, len(charts))
	}
	for _, name := range charts {
		svg, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("%s.svg is not SVG", name)
		}
		f, err := os.Open(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s.png: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 200 || blank(img) {
			t.Errorf("%s.png is %v and blank=%v", name, b, blank(img))
		}
	}
}

// chromium is where Debian's chromium package puts the browser.
const chromium = "/usr/bin/chromium"

// renderInChromium renders the page in a headless Chromium and requires a screenshot of
// the expected size that is not blank. Without Chromium (apt-get install chromium) it
// skips.
func renderInChromium(t *testing.T, dir string) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("no %s (apt-get install chromium to render the page): %v", chromium, err)
	}
	shot := filepath.Join(dir, "screenshot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1280,2000",
		"file://"+filepath.Join(dir, "report.html"))
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, msg)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot is %dx%d, want 1280x2000", b.Dx(), b.Dy())
	}
	if blank(img) {
		t.Error("the screenshot is blank")
	}
	if *update { // the README shows the page as Chromium rendered it
		b, err := os.ReadFile(shot)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "report-page.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// blank reports whether an image has fewer than 16 distinct colours or is almost all one
// colour: a page or chart that did not render.
func blank(img image.Image) bool {
	b := img.Bounds()
	counts := map[color.RGBA]int{}
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			counts[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}]++
			n++
		}
	}
	most := 0
	for _, c := range counts {
		most = max(most, c)
	}
	return len(counts) < 16 || most > n*99/100
}
