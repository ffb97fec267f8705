import { native } from './native';

/** The package version, which is the workspace's (checked against the native module by a test). */
export const VERSION: string = native.nativeVersion();
