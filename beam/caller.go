package cxbeam

import (
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/util/reflectx"
)

// registerDoFn3 registers the struct DoFn type of fn, whose ProcessElement method has type
// func(A, B, C), and a typed caller for that method type, so that runners call
// ProcessElement without reflect.Value.Call. register.DoFn3x0 does the same and more, but
// each of its instantiations compiles wrappers for every StartBundle and FinishBundle
// signature, about five seconds of compile time per DoFn; the split functions have no
// such methods, and their Setup is called once per instance.
func registerDoFn3[A, B, C any](fn any) {
	beam.RegisterType(reflect.TypeOf(fn).Elem())
	reflectx.RegisterFunc(reflect.TypeFor[func(A, B, C)](), func(f any) reflectx.Func {
		return &caller3[A, B, C]{f.(func(A, B, C))}
	})
}

// registerDoFn4 is registerDoFn3 for a ProcessElement of type func(A, B, C, D).
func registerDoFn4[A, B, C, D any](fn any) {
	beam.RegisterType(reflect.TypeOf(fn).Elem())
	reflectx.RegisterFunc(reflect.TypeFor[func(A, B, C, D)](), func(f any) reflectx.Func {
		return &caller4[A, B, C, D]{f.(func(A, B, C, D))}
	})
}

// caller3 calls a func(A, B, C) as a reflectx.Func3x0.
type caller3[A, B, C any] struct{ fn func(A, B, C) }

func (c *caller3[A, B, C]) Name() string       { return reflectx.FunctionName(c.fn) }
func (c *caller3[A, B, C]) Type() reflect.Type { return reflect.TypeOf(c.fn) }

func (c *caller3[A, B, C]) Call(args []any) []any {
	c.fn(args[0].(A), args[1].(B), args[2].(C))
	return nil
}

func (c *caller3[A, B, C]) Call3x0(a, b, d any) { c.fn(a.(A), b.(B), d.(C)) }

// caller4 calls a func(A, B, C, D) as a reflectx.Func4x0.
type caller4[A, B, C, D any] struct{ fn func(A, B, C, D) }

func (c *caller4[A, B, C, D]) Name() string       { return reflectx.FunctionName(c.fn) }
func (c *caller4[A, B, C, D]) Type() reflect.Type { return reflect.TypeOf(c.fn) }

func (c *caller4[A, B, C, D]) Call(args []any) []any {
	c.fn(args[0].(A), args[1].(B), args[2].(C), args[3].(D))
	return nil
}

func (c *caller4[A, B, C, D]) Call4x0(a, b, d, e any) { c.fn(a.(A), b.(B), d.(C), e.(D)) }
