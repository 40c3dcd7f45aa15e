#include "textflag.h"
#include "kernels_amd64.h"

// The table kernels count the scales of at most 16 points into at most 8 bins with one
// lookup per answer: u = x - lo indexes a table of 16 words (VPERMI2Q takes its low four
// bits) whose entry u is 1 << (fw·bin(u)), so that adding the entries counts every bin at
// once in fields of fw bits per lane; u >= points (which includes every x < lo) is masked
// to 0. The caller keeps each field below 2^fw by the length of the blocks it passes, and
// checks that the fields add up to the block's length (else a score is out of range).
// kernels_amd64.h gives the offsets of their arguments; in the points layouts of the
// weighted kernels edge[j] = j.

#define WPSTORE(j, Zw, Zq) VMOVUPD Zw, O_W(j)(DX); VMOVUPD Zq, O_Q(j)(DX)

// func tableCountAVX512(x []int, p *kernelParams, out *[8]uint64)
//
// len(x) must be a multiple of 16.
TEXT ·tableCountAVX512(SB), NOSPLIT, $0-40
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ p+24(FP), AX
	MOVQ out+32(FP), DX
	VMOVDQU64 P_LO(AX), Z31
	VMOVDQU64 P_POINTS(AX), Z30
	VMOVDQU64 P_TABLE(AX), Z28
	VMOVDQU64 P_TABLE+64(AX), Z29
	VPXORQ Z16, Z16, Z16
	VPXORQ Z17, Z17, Z17
	SHRQ $4, CX
	JZ   tdone

tloop:
	VMOVDQU64 (SI), Z0
	VMOVDQU64 64(SI), Z2
	VPSUBQ Z31, Z0, Z0
	VPSUBQ Z31, Z2, Z2
	VPCMPUQ $1, Z30, Z0, K1
	VPCMPUQ $1, Z30, Z2, K2
	VPERMI2Q.Z Z29, Z28, K1, Z0
	VPERMI2Q.Z Z29, Z28, K2, Z2
	VPADDQ Z0, Z16, Z16
	VPADDQ Z2, Z17, Z17
	ADDQ $128, SI
	DECQ CX
	JNZ  tloop

tdone:
	VPADDQ Z17, Z16, Z16
	VMOVDQU64 Z16, (DX)
	VZEROUPPER
	RET

// func wranges3AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)
//
// Three bins of any widths (the NPS categories) on a scale of at most 16 points; len(x) a
// multiple of 8. Instead of a mask per answer it keeps, per lane, the largest u (to find a
// score out of range), the largest weight bit pattern (NaN, infinities, negative weights
// and -0, and weights above maxW have larger ones as unsigned integers than maxW) and the
// smallest bit pattern less one (0 wraps to the largest; weights in (0, minW) fall below
// minW's pattern), at maxu, maxbits and minbits of out; the caller checks them per block
// and scans a block that fails for the first bad answer. out.ok receives the packed counts.
#define O_MAXU 0
#define O_MAXBITS 64
#define O_MINBITS 128
TEXT ·wranges3AVX512(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ w_base+24(FP), DI
	MOVQ p+48(FP), AX
	MOVQ out+56(FP), DX
	VMOVDQU64 P_LO(AX), Z31
	VMOVDQU64 P_TABLE(AX), Z28
	VMOVDQU64 P_TABLE+64(AX), Z27
	MOVQ $1, BX
	VPBROADCASTQ BX, Z26
	VPXORQ Z29, Z29, Z29
	VPXORQ Z25, Z25, Z25
	VPXORQ Z24, Z24, Z24
	VPTERNLOGQ $0xff, Z23, Z23, Z23
	ZERO2(Z4, Z5)
	ZERO2(Z6, Z7)
	ZERO2(Z8, Z9)
	SHRQ $3, CX
	JZ   wr3done

wr3loop:
	VMOVDQU64 (SI), Z0
	VMOVUPD (DI), Z1
	VPSUBQ Z31, Z0, Z0
	VMULPD Z1, Z1, Z2
	VPMAXUQ Z0, Z25, Z25
	VPMAXUQ Z1, Z24, Z24
	VPSUBQ Z26, Z1, Z3
	VPMINUQ Z3, Z23, Z23
	VMOVDQA64 Z0, Z3
	VPERMI2Q Z27, Z28, Z3
	VPADDQ Z3, Z29, Z29
	VPCMPUQ $1, P_EDGE(1)(AX), Z0, K1
	VPCMPUQ $5, P_EDGE(2)(AX), Z0, K2
	KORW K1, K2, K3
	KNOTW K3, K3
	VADDPD Z1, Z4, K1, Z4
	VADDPD Z2, Z5, K1, Z5
	VADDPD Z1, Z6, K3, Z6
	VADDPD Z2, Z7, K3, Z7
	VADDPD Z1, Z8, K2, Z8
	VADDPD Z2, Z9, K2, Z9
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  wr3loop

wr3done:
	VMOVDQU64 Z29, O_OK(DX)
	VMOVDQU64 Z25, O_MAXU(DX)
	VMOVDQU64 Z24, O_MAXBITS(DX)
	VMOVDQU64 Z23, O_MINBITS(DX)
	WPSTORE(0, Z4, Z5)
	WPSTORE(1, Z6, Z7)
	WPSTORE(2, Z8, Z9)
	VZEROUPPER
	RET

// WBSTART loads eight answers, sets Z0 = u, Z1 = w, Z2 = w², and folds u and the bit
// patterns of w into the block checks of wranges3AVX512: the largest u (Z25), the largest
// pattern (Z24) and the smallest pattern less one (Z23), all integer operations, which leave
// the floating-point ports to the sums.
#define WBSTART \
	VMOVDQU64 (SI), Z0; \
	VMOVUPD (DI), Z1; \
	VPSUBQ Z31, Z0, Z0; \
	VMULPD Z1, Z1, Z2; \
	VPMAXUQ Z0, Z25, Z25; \
	VPMAXUQ Z1, Z24, Z24; \
	VPSUBQ Z30, Z1, Z3; \
	VPMINUQ Z3, Z23, Z23

// WBPOINT0 and WBPOINT count the answers at point 0, and at point j (u == edge[j] = j), into
// Zc and add their weights and squared weights to Zw and Zq.
#define WBPOINT0(Zc, Zw, Zq) \
	VPTESTNMQ Z0, Z0, K1; \
	VPADDQ Z30, Zc, K1, Zc; \
	VADDPD Z1, Zw, K1, Zw; \
	VADDPD Z2, Zq, K1, Zq
#define WBPOINT(j, Kj, Zc, Zw, Zq) \
	VPCMPEQQ P_EDGE(j)(AX), Z0, Kj; \
	VPADDQ Z30, Zc, Kj, Zc; \
	VADDPD Z1, Zw, Kj, Zw; \
	VADDPD Z2, Zq, Kj, Zq

#define WBSUMS(j, Kj, Zw, Zq) \
	VPCMPEQQ P_EDGE(j)(AX), Z0, Kj; \
	VADDPD Z1, Zw, Kj, Zw; \
	VADDPD Z2, Zq, Kj, Zq

#define WBPROLOGUE \
	MOVQ x_base+0(FP), SI; \
	MOVQ x_len+8(FP), CX; \
	MOVQ w_base+24(FP), DI; \
	MOVQ p+48(FP), AX; \
	MOVQ out+56(FP), DX; \
	VMOVDQU64 P_LO(AX), Z31; \
	MOVQ $1, BX; \
	VPBROADCASTQ BX, Z30; \
	VPXORQ Z25, Z25, Z25; \
	VPXORQ Z24, Z24, Z24; \
	VPTERNLOGQ $0xff, Z23, Z23, Z23

#define WBEPILOGUE \
	VMOVDQU64 Z25, O_CHECK(DX); \
	VMOVDQU64 Z24, O_CHECK+64(DX); \
	VMOVDQU64 Z23, O_CHECK+128(DX); \
	VZEROUPPER; \
	RET

// func wblock5AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)
//
// A layout of one bin per point, at most 5 points; len(x) a multiple of 8. Counts per point
// go to out.cnt, the block checks to out.check (see wranges3AVX512).
TEXT ·wblock5AVX512(SB), NOSPLIT, $0-64
	WBPROLOGUE
	ZERO3(Z4, Z5, Z6)
	ZERO3(Z7, Z8, Z9)
	ZERO3(Z10, Z11, Z12)
	ZERO3(Z13, Z14, Z15)
	ZERO3(Z16, Z17, Z18)
	SHRQ $3, CX
	JZ   wb5done

wb5loop:
	WBSTART
	WBPOINT0(Z4, Z5, Z6)
	WBPOINT(1, K2, Z7, Z8, Z9)
	WBPOINT(2, K3, Z10, Z11, Z12)
	WBPOINT(3, K4, Z13, Z14, Z15)
	WBPOINT(4, K5, Z16, Z17, Z18)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  wb5loop

wb5done:
	STORE(0, Z4, Z5, Z6)
	STORE(1, Z7, Z8, Z9)
	STORE(2, Z10, Z11, Z12)
	STORE(3, Z13, Z14, Z15)
	STORE(4, Z16, Z17, Z18)
	WBEPILOGUE

// func wblock7AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)
//
// As wblock5AVX512, for at most 7 points.
TEXT ·wblock7AVX512(SB), NOSPLIT, $0-64
	WBPROLOGUE
	ZERO3(Z4, Z5, Z6)
	ZERO3(Z7, Z8, Z9)
	ZERO3(Z10, Z11, Z12)
	ZERO3(Z13, Z14, Z15)
	ZERO3(Z16, Z17, Z18)
	ZERO3(Z19, Z20, Z21)
	ZERO3(Z22, Z27, Z28)
	SHRQ $3, CX
	JZ   wb7done

wb7loop:
	WBSTART
	WBPOINT0(Z4, Z5, Z6)
	WBPOINT(1, K2, Z7, Z8, Z9)
	WBPOINT(2, K3, Z10, Z11, Z12)
	WBPOINT(3, K4, Z13, Z14, Z15)
	WBPOINT(4, K5, Z16, Z17, Z18)
	WBPOINT(5, K6, Z19, Z20, Z21)
	WBPOINT(6, K7, Z22, Z27, Z28)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  wb7loop

wb7done:
	STORE(0, Z4, Z5, Z6)
	STORE(1, Z7, Z8, Z9)
	STORE(2, Z10, Z11, Z12)
	STORE(3, Z13, Z14, Z15)
	STORE(4, Z16, Z17, Z18)
	STORE(5, Z19, Z20, Z21)
	STORE(6, Z22, Z27, Z28)
	WBEPILOGUE

// func wblock8AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)
//
// As wblock5AVX512, for at most 8 points; for want of registers point 7 is not counted:
// its answers are the block's less those of the other points.
TEXT ·wblock8AVX512(SB), NOSPLIT, $0-64
	WBPROLOGUE
	ZERO3(Z4, Z5, Z6)
	ZERO3(Z7, Z8, Z9)
	ZERO3(Z10, Z11, Z12)
	ZERO3(Z13, Z14, Z15)
	ZERO3(Z16, Z17, Z18)
	ZERO3(Z19, Z20, Z21)
	ZERO3(Z22, Z26, Z27)
	VPXORQ Z28, Z28, Z28
	VPXORQ Z29, Z29, Z29
	SHRQ $3, CX
	JZ   wb8done

wb8loop:
	WBSTART
	WBPOINT0(Z4, Z5, Z6)
	WBPOINT(1, K2, Z7, Z8, Z9)
	WBPOINT(2, K3, Z10, Z11, Z12)
	WBPOINT(3, K4, Z13, Z14, Z15)
	WBPOINT(4, K5, Z16, Z17, Z18)
	WBPOINT(5, K6, Z19, Z20, Z21)
	WBPOINT(6, K7, Z22, Z26, Z27)
	WBSUMS(7, K1, Z28, Z29)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  wb8loop

wb8done:
	STORE(0, Z4, Z5, Z6)
	STORE(1, Z7, Z8, Z9)
	STORE(2, Z10, Z11, Z12)
	STORE(3, Z13, Z14, Z15)
	STORE(4, Z16, Z17, Z18)
	STORE(5, Z19, Z20, Z21)
	STORE(6, Z22, Z26, Z27)
	VMOVUPD Z28, O_W(7)(DX)
	VMOVUPD Z29, O_Q(7)(DX)
	WBEPILOGUE
