// The Khronos glTF validator ships no types; what electron/services/assets/model-validator.ts uses.
declare module 'gltf-validator' {
  interface ValidationOptions {
    uri?: string;
    format?: 'glb' | 'gltf';
    maxIssues?: number;
    writeTimestamp?: boolean;
    ignoredIssues?: string[];
    severityOverrides?: Record<string, number>;
    externalResourceFunction?: (uri: string) => Promise<Uint8Array>;
  }
  const validator: {
    version(): string;
    validateBytes(data: Uint8Array, options?: ValidationOptions): Promise<unknown>;
    validateString(json: string, options?: ValidationOptions): Promise<unknown>;
  };
  export default validator;
}
