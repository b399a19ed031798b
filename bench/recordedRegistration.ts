// A registration as measure.ts records it (`--shapes`) and its floors replay it: what the engine
// received, by resource name.

export interface RecordedRegistration {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly outputs: readonly string[];
    /** The parent's name, as the registration named it; none for a resource without a parent. */
    readonly parent?: string;
    /** The names of the resources the registration listed as its dependencies. */
    readonly dependencies?: readonly string[];
    /** The aliases it was given (a Kubernetes kind is given its older API versions' types). */
    readonly aliases?: ReadonlyArray<{ readonly name?: string; readonly type?: string }>;
    /** The inputs the program gave it, as plain values. */
    readonly inputs?: Record<string, unknown>;
}
