// The compositor has no requests or events of its own (it renders `show:scene-changed` in each window),
// but its errors reach the one error panel like any domain's: `compositor:errors.<reason>`.

/** Errors the renderer's compositor and cameras raise (`renderer/compositor/`, `renderer/features/cameras/`). */
export const compositorErrorCodes = [
  'compositor/no-camera',
  'compositor/camera-denied',
  'compositor/camera-busy',
  'compositor/camera-failed',
  'compositor/camera-lost',
  'compositor/webgl-unavailable',
  'compositor/context-lost',
  'compositor/vision-failed',
  'compositor/failed',
  'compositor/no-3d',
] as const;
