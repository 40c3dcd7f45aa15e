// Offsets shared by the kernels of count_amd64.s and table_amd64.s.

// params (see kernelParams): lo, edge[1..8], minW, maxW and the number of points, each
// repeated in 8 lanes, then the table of 16 words of the table kernels.
#define P_LO 0
#define P_EDGE(j) (64*(j))
#define P_MINW 576
#define P_MAXW 640
#define P_POINTS 704
#define P_TABLE 768

// out (see weightedLanes): cnt[8][8]int64 at 0, ok[8]int64 at 512, w[8][8]float64 at 576,
// q[8][8]float64 at 1088, check[3][8]uint64 at 1600.
#define O_CNT(j) (64*(j))
#define O_OK 512
#define O_W(j) (576+64*(j))
#define O_Q(j) (1088+64*(j))
#define O_CHECK 1600

#define ZERO2(a, b) VPXORQ a, a, a; VPXORQ b, b, b
#define ZERO3(a, b, c) VPXORQ a, a, a; VPXORQ b, b, b; VPXORQ c, c, c
#define STORE(j, Zc, Zw, Zq) VMOVDQU64 Zc, O_CNT(j)(DX); VMOVUPD Zw, O_W(j)(DX); VMOVUPD Zq, O_Q(j)(DX)
