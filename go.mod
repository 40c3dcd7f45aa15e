module github.com/cxmetrics/cxmetrics

go 1.24.0

require (
	github.com/stretchr/testify v1.12.1 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)
