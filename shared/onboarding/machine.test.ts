import { describe, expect, it } from 'vitest';

import { isSoftwareGraphics, recommendOutput } from './machine';

describe('output from the machine', () => {
  it('recognises software rasterisers and a missing WebGL', () => {
    expect(isSoftwareGraphics('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(
      true,
    );
    expect(isSoftwareGraphics('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareGraphics(null)).toBe(true);
    expect(isSoftwareGraphics('ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
  });

  it('chooses 1280×720 on software graphics or a small CPU and says why', () => {
    const gpu = 'ANGLE (NVIDIA, NVIDIA GeForce GTX 1650 Direct3D11 vs_5_0 ps_5_0, D3D11)';
    expect(recommendOutput({ cpuCores: 2, webglRenderer: 'llvmpipe' }, '1920x1080')).toEqual({
      format: '1280x720',
      reason: 'software-graphics',
    });
    expect(recommendOutput({ cpuCores: 4, webglRenderer: gpu }, '1920x1080')).toEqual({
      format: '1280x720',
      reason: 'small-cpu',
    });
    expect(recommendOutput({ cpuCores: 12, webglRenderer: gpu }, '1920x1080')).toEqual({
      format: '1920x1080',
      reason: null,
    });
    // A portrait studio (抖音 竖屏) keeps its orientation.
    expect(recommendOutput({ cpuCores: 2, webglRenderer: null }, '1080x1920').format).toBe('1080x1920');
  });
});
