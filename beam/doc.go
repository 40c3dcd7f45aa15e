// Package cxbeam runs the survey scores of nps, csat and ces as Apache Beam combiners.
package cxbeam
