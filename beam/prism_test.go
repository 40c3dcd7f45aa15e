//go:build prism

package cxbeam

import _ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

// With the tag prism the pipeline tests run on prism, Beam's default local runner, which
// combines in several bundles and merges the partial tallies after encoding them:
//
//	go test -tags prism ./...
func init() { defaultRunner = "prism" }
