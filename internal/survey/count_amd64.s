#include "textflag.h"
#include "kernels_amd64.h"

// The AVX-512 kernels count answers into bins. A score x becomes u = x - lo (wrapping),
// and bin j holds the u with edge[j] <= u < edge[j+1] (unsigned), edge[0] = 0 and
// edge[B] = the number of points, so u >= edge[B] (which includes every x < lo) is out of
// range. The kernels keep, per lane, the cumulative counts c_j = #(u < edge[j+1]); bin j
// has c_j - c_{j-1} answers, and the answers in range are c_{B-1}. The weighted kernels
// also sum w and w² per bin exactly (masked adds, no differences) and count the answers
// that are in range with a weight that is 0 or within [minW, maxW] (a NaN weight fails
// every comparison). kernels_amd64.h gives the offsets of their arguments.

// CUM counts u < edge[j] into Zc.
#define CUM(j, Zc) VPCMPUQ $1, P_EDGE(j)(AX), Z0, K1; VPADDQ Z30, Zc, K1, Zc

// WSTART loads eight answers, sets Z0 = u, Z1 = w, Z2 = w², and counts into Z29 the
// lanes with u in range (below edge[B]) and a valid weight.
#define WSTART(lastEdge) \
	VMOVDQU64 (SI), Z0; \
	VMOVUPD (DI), Z1; \
	VPSUBQ Z31, Z0, Z0; \
	VMULPD Z1, Z1, Z2; \
	VCMPPD $0x1D, P_MINW(AX), Z1, K3; \
	VCMPPD $0x12, P_MAXW(AX), Z1, K4; \
	VCMPPD $0x00, Z28, Z1, K5; \
	KANDW K3, K4, K3; \
	KORW K3, K5, K3; \
	VPCMPUQ $1, P_EDGE(lastEdge)(AX), Z0, K4; \
	KANDW K3, K4, K3; \
	VPADDQ Z30, Z29, K3, Z29

// WBIN0 adds the answers below edge[1] to bin 0: count Zc, weights Zw, squares Zq. K1
// keeps the mask for the next bin.
#define WBIN0(Zc, Zw, Zq) \
	VPCMPUQ $1, P_EDGE(1)(AX), Z0, K1; \
	VPADDQ Z30, Zc, K1, Zc; \
	VADDPD Z1, Zw, K1, Zw; \
	VADDPD Z2, Zq, K1, Zq

// WBIN adds the answers in [edge[j], edge[j+1]) to bin j; Kprev holds u < edge[j] and
// Kcur receives u < edge[j+1].
#define WBIN(j1, Kprev, Kcur, Zc, Zw, Zq) \
	VPCMPUQ $1, P_EDGE(j1)(AX), Z0, Kcur; \
	VPADDQ Z30, Zc, Kcur, Zc; \
	KANDNW Kcur, Kprev, K2; \
	VADDPD Z1, Zw, K2, Zw; \
	VADDPD Z2, Zq, K2, Zq

#define WPROLOGUE \
	MOVQ x_base+0(FP), SI; \
	MOVQ x_len+8(FP), CX; \
	MOVQ w_base+24(FP), DI; \
	MOVQ p+48(FP), AX; \
	MOVQ out+56(FP), DX; \
	VMOVDQU64 P_LO(AX), Z31; \
	MOVQ $1, BX; \
	VPBROADCASTQ BX, Z30; \
	VPXORQ Z29, Z29, Z29; \
	VPXORQ Z28, Z28, Z28


// func count8AVX512(x []int, p *kernelParams, out *unweightedLanes)
TEXT ·count8AVX512(SB), NOSPLIT, $0-40
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ p+24(FP), AX
	MOVQ out+32(FP), DX
	VMOVDQU64 P_LO(AX), Z31
	MOVQ $1, BX
	VPBROADCASTQ BX, Z30
	VPXORQ Z16, Z16, Z16
	VPXORQ Z17, Z17, Z17
	VPXORQ Z18, Z18, Z18
	VPXORQ Z19, Z19, Z19
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	VPXORQ Z22, Z22, Z22
	VPXORQ Z23, Z23, Z23
	SHRQ $3, CX
	JZ   done8

loop8:
	VMOVDQU64 (SI), Z0
	VPSUBQ Z31, Z0, Z0
	CUM(1, Z16)
	CUM(2, Z17)
	CUM(3, Z18)
	CUM(4, Z19)
	CUM(5, Z20)
	CUM(6, Z21)
	CUM(7, Z22)
	CUM(8, Z23)
	ADDQ $64, SI
	DECQ CX
	JNZ  loop8

done8:
	VMOVDQU64 Z16, O_CNT(0)(DX)
	VMOVDQU64 Z17, O_CNT(1)(DX)
	VMOVDQU64 Z18, O_CNT(2)(DX)
	VMOVDQU64 Z19, O_CNT(3)(DX)
	VMOVDQU64 Z20, O_CNT(4)(DX)
	VMOVDQU64 Z21, O_CNT(5)(DX)
	VMOVDQU64 Z22, O_CNT(6)(DX)
	VMOVDQU64 Z23, O_CNT(7)(DX)
	VZEROUPPER
	RET

// func weighted8AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)
TEXT ·weighted8AVX512(SB), NOSPLIT, $0-64
	WPROLOGUE
	ZERO3(Z4, Z5, Z6)
	ZERO3(Z7, Z8, Z9)
	ZERO3(Z10, Z11, Z12)
	ZERO3(Z13, Z14, Z15)
	ZERO3(Z16, Z17, Z18)
	ZERO3(Z19, Z20, Z21)
	ZERO3(Z22, Z23, Z24)
	ZERO3(Z25, Z26, Z27)
	SHRQ $3, CX
	JZ   wdone8

wloop8:
	WSTART(8)
	WBIN0(Z4, Z5, Z6)
	WBIN(2, K1, K6, Z7, Z8, Z9)
	WBIN(3, K6, K7, Z10, Z11, Z12)
	WBIN(4, K7, K6, Z13, Z14, Z15)
	WBIN(5, K6, K7, Z16, Z17, Z18)
	WBIN(6, K7, K6, Z19, Z20, Z21)
	WBIN(7, K6, K7, Z22, Z23, Z24)
	WBIN(8, K7, K6, Z25, Z26, Z27)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  wloop8

wdone8:
	STORE(0, Z4, Z5, Z6)
	STORE(1, Z7, Z8, Z9)
	STORE(2, Z10, Z11, Z12)
	STORE(3, Z13, Z14, Z15)
	STORE(4, Z16, Z17, Z18)
	STORE(5, Z19, Z20, Z21)
	STORE(6, Z22, Z23, Z24)
	STORE(7, Z25, Z26, Z27)
	VMOVDQU64 Z29, O_OK(DX)
	VZEROUPPER
	RET

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET
