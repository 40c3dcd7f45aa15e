//go:build dataflow

package main

import (
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
)

// With the tag dataflow the command runs on Google Cloud Dataflow (-runner=dataflow) and
// reads and writes gs:// paths.
func init() { linked["dataflow"], linked["DataflowRunner"] = true, true }
