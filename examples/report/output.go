package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"

	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// pngDPI is the resolution of the PNG charts.
const pngDPI = 144

// rendered is a chart drawn as SVG, for the HTML page.
type rendered struct {
	chart
	svg []byte
}

// writeOutputs writes every chart as SVG and PNG, and the HTML page, into dir.
func writeOutputs(rep *Report, in *inputs, dir string) error {
	cs, err := charts(rep, in)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// The charts are drawn at the same time, each on canvases of its own.
	done := make([]rendered, len(cs))
	pngs := make([][]byte, len(cs))
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(cs); i += workers {
				done[i].chart = cs[i]
				if done[i].svg, errs[i] = renderSVG(cs[i]); errs[i] == nil {
					pngs[i], errs[i] = renderPNG(cs[i])
				}
			}
		}()
	}
	wg.Wait()
	for i, c := range cs {
		if errs[i] != nil {
			return fmt.Errorf("chart %s: %w", c.name, errs[i])
		}
		if err := os.WriteFile(filepath.Join(dir, c.name+".svg"), done[i].svg, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, c.name+".png"), pngs[i], 0o644); err != nil {
			return err
		}
		rep.Charts = append(rep.Charts, c.name)
	}
	var page bytes.Buffer
	if err := writeHTML(&page, rep, done); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "report.html"), page.Bytes(), 0o644)
}

func renderSVG(c chart) ([]byte, error) {
	canvas := vgsvg.New(c.width, c.height)
	c.draw(canvas)
	var b bytes.Buffer
	if _, err := canvas.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func renderPNG(c chart) ([]byte, error) {
	canvas := vgimg.NewWith(vgimg.UseWH(c.width, c.height), vgimg.UseDPI(pngDPI))
	c.draw(canvas)
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// inlineSVG turns a chart's SVG file into an element for the HTML page: without the XML
// prologue, sized by the page's style sheet, with fonts that fall back to the browser's
// sans-serif.
func inlineSVG(svg []byte) []byte {
	svg = prologue.ReplaceAll(svg, nil)
	svg = svgSize.ReplaceAll(svg, []byte(`<svg class="chart" role="img"`))
	return fontFamily.ReplaceAll(svg, []byte(`font-family:$1,Arial,Helvetica,sans-serif;`))
}

var (
	prologue   = regexp.MustCompile(`(?s)^<\?xml[^>]*>\s*(<!--.*?-->\s*)?`)
	svgSize    = regexp.MustCompile(`^<svg width="[^"]*" height="[^"]*"`)
	fontFamily = regexp.MustCompile(`font-family:([^;"]*);`)
)
