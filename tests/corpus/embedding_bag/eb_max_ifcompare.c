// daec-expect: EmbBagMaxPool decoupled op~=max
//
// Max pooling written the old way: the first row of the bag is copied, the
// following rows are compared element by element with an if.
// Empty bags are written as zeros.

#include <stdint.h>

void EmbBagMaxPool(const float *pTable, int32_t nDim, const int32_t *pIdx,
                   const int32_t *pOffsets, int32_t nBags, float *pOut)
{
    int32_t iBag, iPos, iCol;

    for (iBag = 0; iBag < nBags; iBag++)
    {
        int32_t iStart = pOffsets[iBag];
        int32_t iEnd = pOffsets[iBag + 1];
        float *pDst = &pOut[iBag * nDim];

        if (iStart == iEnd)
        {
            for (iCol = 0; iCol < nDim; iCol++)
                pDst[iCol] = 0.0f;
            continue;
        }
        for (iPos = iStart; iPos < iEnd; iPos++)
        {
            int32_t iRow = pIdx[iPos];
            if (iPos == iStart)
            {
                for (iCol = 0; iCol < nDim; iCol++)
                    pDst[iCol] = pTable[iRow * nDim + iCol];
            }
            else
            {
                for (iCol = 0; iCol < nDim; iCol++)
                {
                    float v = pTable[iRow * nDim + iCol];
                    if (v > pDst[iCol])
                        pDst[iCol] = v;
                }
            }
        }
    }
}
