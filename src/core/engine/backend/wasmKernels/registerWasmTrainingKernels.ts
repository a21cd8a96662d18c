// Registers the kernels that let the wasm backend train: gradients it lacks, faster versions of kernels it has
// but runs slowly (Exp and Erf among them), fused ones (batch norm, layer norm, GELU, roll), Adam's update as one
// kernel, and a correct CropAndResize. Safe to call before or after the wasm backend initialises, and twice.
import { type KernelConfig } from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { batchNormKernelConfigs } from '../batchNormKernels'
import { geluKernelConfigs } from '../geluKernels'
import { rollKernelConfigs } from '../rollKernels'
import { layerNormKernelConfigs } from '../layerNormKernels'
import { replaceKernel } from '../replaceKernel'
import { adamUpdateConfig } from './adamUpdate'
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter'
import { cropAndResizeConfig } from './cropAndResize'
import { erfConfig, expConfig } from './expErf'
import { conv2DBackpropInputConfig } from './conv2DBackpropInput'
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwiseConv2dNativeBackpropFilter'
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwiseConv2dNativeBackpropInput'
import { maxPoolGradConfig } from './maxPoolGrad'
import { conv2DConfig } from './conv2D'
import { sharedIdentityConfig } from './sharedIdentity'
import { tileConfig } from './tile'
import { transposedMatMulConfigs } from './transposedMatMul'
import { splitVConfig } from './splitV'
import { sumConfig } from './sum'
import { transposeConfig } from './transpose'
import { unpackConfig } from './unpack'
import { unsortedSegmentSumConfig } from './unsortedSegmentSum'

export function wasmTrainingKernelConfigs(): KernelConfig[] {
  return [
    conv2DBackpropFilterConfig,
    conv2DBackpropInputConfig,
    depthwiseConv2dNativeBackpropFilterConfig,
    depthwiseConv2dNativeBackpropInputConfig,
    unsortedSegmentSumConfig,
    maxPoolGradConfig,
    ...transposedMatMulConfigs(),
    conv2DConfig(),
    tileConfig(),
    transposeConfig(),
    unpackConfig(),
    splitVConfig(),
    sumConfig(),
    expConfig(),
    erfConfig(),
    ...batchNormKernelConfigs('wasm'),
    ...layerNormKernelConfigs('wasm'),
    ...geluKernelConfigs('wasm'),
    ...rollKernelConfigs('wasm'),
    sharedIdentityConfig,
    adamUpdateConfig,
    // Not a training kernel: tfjs-wasm's own gets some crops wrong (cropAndResize.ts), and DINO and CASS crop.
    cropAndResizeConfig(),
  ]
}

export function registerWasmTrainingKernels(): string[] {
  const names: string[] = []
  for (const config of wasmTrainingKernelConfigs()) if (replaceKernel(config)) names.push(config.kernelName)
  return names
}
