// The parts of @pulumi/pulumi's runtime that the test harness and the benchmark reach into (listed in
// runtime/sdkInternals.ts with the rest of what the project relies on), typed
// here once: they are not in the SDK's public typings. The mocks' own API shows neither a
// registration's dependencies nor a resource's output properties.

interface RegisterRequest {
    getType(): string;
    getName(): string;
    /** The parent's URN; empty for a resource without one. */
    getParent(): string;
    getDependenciesList(): string[];
    /** The aliases the resource was given, as specs (a type or a name) or as URNs. */
    getAliasesList(): Array<{ getUrn(): string; getSpec(): { getName(): string; getType(): string } | undefined }>;
}

interface RegisterResponse {
    getUrn(): string;
}

type RegisterCallback = (err: unknown, response: RegisterResponse) => void;

/** A read (`Resource.get`): the same fields as a registration's, no aliases. */
type ReadRequest = Omit<RegisterRequest, "getAliasesList">;

interface Monitor {
    registerResource(request: RegisterRequest, callback: RegisterCallback): void;
    readResource(request: ReadRequest, callback: (err: unknown, response: unknown) => void): void;
}

interface Settings {
    getMonitor(): Monitor;
    waitForRPCs(): Promise<void>;
}

/** Where the SDK says a resource was constructed: the first frame outside the SDK. */
export interface SourcePosition {
    readonly uri: string;
    readonly line: number;
    readonly column: number;
}

type RegisterResource = (res: unknown, parent: unknown, type: string, name: string, custom: boolean,
    remote: boolean, newDependency: unknown, props: Record<string, unknown>, opts: unknown,
    sourcePosition: SourcePosition | undefined, ...rest: unknown[]) => void;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as Settings;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resourceRuntime = require("@pulumi/pulumi/runtime/resource") as { registerResource: RegisterResource };

/** Waits until every registration the program started has been answered. */
export function waitForRegistrations(): Promise<void> {
    return settings.waitForRPCs();
}

/**
 * Shows each registration request to the current (mock) monitor: `before` as it arrives (the
 * mocks' newResource has not run yet), `after` with the answer. Call after setMocks.
 */
export function watchMonitor(
    before: (request: RegisterRequest) => void,
    after: (request: RegisterRequest, response: RegisterResponse) => void = () => undefined,
): void {
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        before(request);
        register(request, (err, response) => {
            if (!err) {
                after(request, response);
            }
            callback(err, response);
        });
    };
}

/**
 * Calls `watch` with the type, name, kind, output properties and source position of each resource
 * as it is constructed. Returns a function that stops watching.
 */
export function watchConstruction(
    watch: (type: string, name: string, custom: boolean, outputs: string[], sourcePosition?: SourcePosition) => void,
): () => void {
    const register = resourceRuntime.registerResource;
    resourceRuntime.registerResource = (res, parent, type, name, custom, remote, newDependency, props, opts, sourcePosition, ...rest) => {
        watch(type, name, custom, Object.keys(props), sourcePosition);
        register(res, parent, type, name, custom, remote, newDependency, props, opts, sourcePosition, ...rest);
    };
    return () => {
        resourceRuntime.registerResource = register;
    };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T>;
};

/**
 * Passes a promise through the SDK's debuggablePromise, as the SDK does with each one it makes,
 * and returns the stack trace the SDK kept for its leak report.
 */
export function sdkPromiseStackTrace(): unknown {
    const promise = Promise.resolve();
    void debuggable.debuggablePromise(promise, "test");
    return (promise as unknown as { _debugStackTrace: unknown })._debugStackTrace;
}

/** Shows each read request (`Resource.get`) to the current (mock) monitor as it arrives. Call after setMocks. */
export function watchReads(before: (request: ReadRequest) => void): void {
    const monitor = settings.getMonitor();
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (request, callback) => {
        before(request);
        read(request, callback);
    };
}
