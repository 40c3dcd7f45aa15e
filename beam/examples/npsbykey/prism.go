//go:build prism

package main

import _ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

// With the tag prism the command also runs on prism, Beam's local runner that runs
// bundles in parallel (-runner=prism).
func init() { linked["prism"], linked["PrismRunner"] = true, true }
