#include "textflag.h"

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

// func countAVX2(x []int, b *bounds, out *lanes)
//
// For each group of four scores: bad |= (lo > x) | (x > hi); above += (x > detMax);
// pro += (x > proStart). len(x) must be a multiple of 4.
TEXT ·countAVX2(SB), NOSPLIT, $0-40
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ b+24(FP), AX
	MOVQ out+32(FP), DX
	VPBROADCASTQ 0(AX), Y8   // lo
	VPBROADCASTQ 8(AX), Y9   // hi
	VPBROADCASTQ 16(AX), Y10 // detMax
	VPBROADCASTQ 24(AX), Y11 // proStart = PromoterMin - 1
	VPXOR Y0, Y0, Y0         // count of x > detMax
	VPXOR Y1, Y1, Y1         // count of x > proStart
	VPXOR Y2, Y2, Y2         // bad mask
	SHRQ $2, CX
	JZ   done

loop:
	VMOVDQU  (SI), Y3
	VPCMPGTQ Y3, Y8, Y4  // lo > x
	VPCMPGTQ Y9, Y3, Y5  // x > hi
	VPOR     Y4, Y5, Y4
	VPOR     Y4, Y2, Y2
	VPCMPGTQ Y10, Y3, Y6 // x > detMax
	VPSUBQ   Y6, Y0, Y0
	VPCMPGTQ Y11, Y3, Y7 // x > proStart
	VPSUBQ   Y7, Y1, Y1
	ADDQ     $32, SI
	DECQ     CX
	JNZ      loop

done:
	VMOVDQU Y0, 0(DX)
	VMOVDQU Y1, 32(DX)
	VMOVDQU Y2, 64(DX)
	VZEROUPPER
	RET

// func countWeightedAVX2(x []int, w []float64, b *bounds, out *weightedLanes)
//
// As countAVX2, and per lane: sum of weights, of detractor and promoter weights and of
// squared weights; a weight that is not >= 0 (negative or NaN) sets the bad mask.
// len(w) must equal len(x), a multiple of 4.
TEXT ·countWeightedAVX2(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ w_base+24(FP), DI
	MOVQ b+48(FP), AX
	MOVQ out+56(FP), DX
	VPBROADCASTQ 0(AX), Y8
	VPBROADCASTQ 8(AX), Y9
	VPBROADCASTQ 16(AX), Y10
	VPBROADCASTQ 24(AX), Y11
	VPXOR Y0, Y0, Y0   // count of x > detMax
	VPXOR Y1, Y1, Y1   // count of x > proStart
	VPXOR Y2, Y2, Y2   // bad mask
	VXORPD Y6, Y6, Y6  // sum w
	VXORPD Y7, Y7, Y7  // sum w, detractors
	VXORPD Y13, Y13, Y13 // sum w, promoters
	VXORPD Y14, Y14, Y14 // sum w²
	VXORPD Y15, Y15, Y15 // zero
	SHRQ $2, CX
	JZ   wdone

wloop:
	VMOVDQU  (SI), Y3
	VMOVUPD  (DI), Y12
	VPCMPGTQ Y3, Y8, Y4         // lo > x
	VPCMPGTQ Y9, Y3, Y5         // x > hi
	VPOR     Y4, Y5, Y4
	VCMPPD   $0x09, Y15, Y12, Y5 // !(w >= 0): negative or NaN
	VPOR     Y4, Y5, Y4
	VPOR     Y4, Y2, Y2
	VPCMPGTQ Y10, Y3, Y4        // x > detMax: not a detractor
	VPSUBQ   Y4, Y0, Y0
	VANDNPD  Y12, Y4, Y5        // w where a detractor
	VADDPD   Y5, Y7, Y7
	VPCMPGTQ Y11, Y3, Y4        // x > proStart: a promoter
	VPSUBQ   Y4, Y1, Y1
	VANDPD   Y12, Y4, Y5        // w where a promoter
	VADDPD   Y5, Y13, Y13
	VADDPD   Y12, Y6, Y6
	VMULPD   Y12, Y12, Y5
	VADDPD   Y5, Y14, Y14
	ADDQ     $32, SI
	ADDQ     $32, DI
	DECQ     CX
	JNZ      wloop

wdone:
	VMOVDQU Y0, 0(DX)
	VMOVDQU Y1, 32(DX)
	VMOVDQU Y2, 64(DX)
	VMOVUPD Y6, 96(DX)
	VMOVUPD Y7, 128(DX)
	VMOVUPD Y13, 160(DX)
	VMOVUPD Y14, 192(DX)
	VZEROUPPER
	RET
