// AVX-512 AdamW update (see AdamStep in adam.go).

//go:build amd64 && !purego

#include "textflag.h"

// func adamAVX(n int, pp, gg, mm, vv *float32, c *[8]float32)
// c = {decay, b1, 1-b1, b2, 1-b2, step, rbc2, eps}; n is a positive multiple of 16.
TEXT ·adamAVX(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ pp+8(FP), SI
	MOVQ gg+16(FP), DI
	MOVQ mm+24(FP), R8
	MOVQ vv+32(FP), R9
	MOVQ c+40(FP), R10
	VBROADCASTSS 0(R10), Z20  // decay
	VBROADCASTSS 4(R10), Z21  // b1
	VBROADCASTSS 8(R10), Z22  // 1-b1
	VBROADCASTSS 12(R10), Z23 // b2
	VBROADCASTSS 16(R10), Z24 // 1-b2
	VBROADCASTSS 20(R10), Z25 // step
	VBROADCASTSS 24(R10), Z26 // rbc2
	VBROADCASTSS 28(R10), Z27 // eps
loop:
	VMOVUPS (DI), Z0           // g
	VMULPS (R8), Z21, Z1       // b1*m
	VFMADD231PS Z0, Z22, Z1    // m = b1*m + (1-b1)*g
	VMOVUPS Z1, (R8)
	VMULPS Z0, Z0, Z2          // g*g
	VMULPS (R9), Z23, Z3       // b2*v
	VFMADD231PS Z2, Z24, Z3    // v = b2*v + (1-b2)*g*g
	VMOVUPS Z3, (R9)
	VSQRTPS Z3, Z3
	VMULPS Z26, Z3, Z3
	VADDPS Z27, Z3, Z3         // sqrt(v)*rbc2 + eps
	VMULPS Z25, Z1, Z1         // step*m
	VDIVPS Z3, Z1, Z1          // step*m / denom
	VMULPS (SI), Z20, Z4       // p*decay
	VSUBPS Z1, Z4, Z4
	VMOVUPS Z4, (SI)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $64, R9
	SUBQ $16, CX
	JNE loop
	VZEROUPPER
	RET
