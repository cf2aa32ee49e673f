import { describe, expect, it } from 'vitest';

import { chooseTier, isSoftwareRenderer } from './tier';

describe('tier choice', () => {
  it('names software rasterisers as software', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(
      true,
    );
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
  });

  it('picks gpu, software or none from the probe', () => {
    expect(chooseTier('ANGLE (NVIDIA, NVIDIA GeForce GTX 1650)', null).tier).toBe('gpu');
    expect(chooseTier('SwiftShader', null).tier).toBe('software');
    expect(chooseTier(null, null).tier).toBe('none');
  });

  it('lets a forced tier win, except that WebGL cannot be forced into existence', () => {
    expect(chooseTier('SwiftShader', 'gpu')).toMatchObject({ tier: 'gpu', forced: true });
    expect(chooseTier('NVIDIA', 'none')).toMatchObject({ tier: 'none', forced: true });
    expect(chooseTier(null, 'gpu')).toMatchObject({ tier: 'none', forced: true });
    expect(chooseTier('SwiftShader', 'bogus')).toMatchObject({ tier: 'software', forced: false });
  });
});
