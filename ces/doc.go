// Package ces computes the Customer Effort Score and its uncertainty.
package ces
