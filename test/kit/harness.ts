// Runs components, or the whole program, under Pulumi's mocks and records what would be created:
// every resource's type, name and inputs, and which inputs are secret. No network, no CLI.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { stackTraceFormatting } from "../../runtime/promiseLeakStacks";
import { computedOutputs, unwrapSecrets } from "./mockOutputs";
import { waitForRegistrations, watchMonitor, watchReads } from "./sdkInternals";

export { computedOutputs, fakePrivateKey, fakePublicKey } from "./mockOutputs";

export interface Created {
    readonly type: string;
    readonly name: string;
    /** Inputs with secrets unwrapped. */
    readonly inputs: Record<string, any>;
    /** Top-level input keys whose value was a secret (the SDK lifts nested secrets to the top). */
    readonly secretInputs: ReadonlySet<string>;
    /** Names of the resources it waits for: dependsOn, and those whose outputs it takes (components expanded). */
    readonly dependsOn: readonly string[];
    /** Name of its parent; undefined for a resource of the stack itself. */
    readonly parent?: string;
    /** Pulumi's `protect` option as the program registered it. */
    readonly protect: boolean;
    /** Read (`Resource.get`), not created: the stack uses it and never changes or deletes it. */
    readonly read?: boolean;
    /** Pulumi's `retainOnDelete`: leaving the program never deletes it from its provider. */
    readonly retainOnDelete?: boolean;
}

export class Recording {
    constructor(
        public readonly resources: readonly Created[],
        /** What the program logged with pulumi.log, as "info: <message>", "warning: <message>". */
        public readonly logs: readonly string[] = [],
    ) {}

    ofType(type: string): Created[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of a type whose name is `name`; fails loudly otherwise. */
    get(type: string, name: string): Created {
        const found = this.resources.filter((r) => r.type === type && r.name === name);
        if (found.length !== 1) {
            const names = this.ofType(type).map((r) => r.name).join(", ");
            throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names})`);
        }
        return found[0];
    }

    /** Kubernetes objects of a kind, found by metadata.namespace and metadata.name. */
    k8s(type: string, namespace: string | undefined, name: string): Created {
        const found = this.ofType(type).filter((r) =>
            r.inputs.metadata?.name === name && r.inputs.metadata?.namespace === namespace);
        if (found.length !== 1) {
            throw new Error(`expected one ${type} ${namespace ?? ""}/${name}, found ${found.length}`);
        }
        return found[0];
    }
}

/** Runs `body` under fresh mocks and config, waits for every registration, returns what it made. */
export async function record<T>(
    body: () => T, config: Record<string, unknown> = {}, secretKeys: string[] = [], onMocks: () => void = () => undefined,
    stack = "test",
): Promise<{ recording: Recording; result: T }> {
    const created: Created[] = [];
    await pulumi.runtime.setMocks({
        newResource(args) {
            const { inputs, secretInputs } = unwrapSecrets(args.inputs);
            const registered = registrations.get(`${args.type}::${args.name}`);
            created.push({ type: args.type, name: args.name, inputs, secretInputs, dependsOn: registered?.dependsOn ?? [],
                parent: registered?.parent, protect: registered?.protect ?? false, read: args.id !== undefined && args.id !== "",
                retainOnDelete: registered?.retainOnDelete ?? false });
            // Each stack generates its own keypairs: a key of another stack is another key.
            const keyed = stack !== "test" && args.type === "tls:index/privateKey:PrivateKey" ? `${stack}-${args.name}` : args.name;
            return { id: `${args.name}-id`, state: { ...args.inputs, ...computedOutputs(args.type, keyed, inputs) } };
        },
        call(args) {
            return args.inputs;
        },
    }, "platform", stack, false);
    const registrations = recordRegistrations();
    onMocks();
    const asText: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) {
        asText[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    pulumi.runtime.setAllConfig(asText, secretKeys);
    const logs: string[] = [];
    const restore = captureLogs(logs);
    try {
        const result = body();
        // Until a pass registers nothing more: teams are built one per turn, and the next run must
        // not start while this one still registers (its mocks would take them).
        for (let stable = 0, seen = -1; stable < 3; stable = created.length === seen ? stable + 1 : 0) {
            seen = created.length;
            await waitForRegistrations();
            await new Promise((resolve) => setImmediate(resolve));
        }
        const twice = created.filter((r, i) => created.findIndex((o) => o.type === r.type && o.name === r.name) !== i);
        if (twice.length > 0) {
            throw new Error(`registered twice in one run (another run's registrations?): ${twice.map((r) => `${r.type} ${r.name}`).join(", ")}`);
        }
        return { recording: new Recording(created, logs), result };
    } finally {
        restore();
    }
}

// Without an engine, pulumi.log prints "<severity>: [runtime] <message>" to the console; keep
// those for the specs and let everything else through.
function captureLogs(into: string[]): () => void {
    const originals = { log: console.log, warn: console.warn, error: console.error };
    for (const method of ["log", "warn", "error"] as const) {
        console[method] = (...args: unknown[]) => {
            const match = typeof args[0] === "string" ? /^(\w+): \[runtime\] ([\s\S]*)$/.exec(args[0]) : null;
            if (match) {
                into.push(`${match[1]}: ${match[2]}`);
            } else {
                originals[method](...args);
            }
        };
    }
    return () => Object.assign(console, originals);
}

type Registration = Pick<Created, "dependsOn" | "parent" | "protect" | "retainOnDelete">;

/** The options of a registration that the engine keeps in its state, as the request carries them. */
interface RegistrationOptions {
    getParent(): string;
    getProtect(): boolean;
    getRetainondelete(): boolean;
}

// The mocks hand newResource no dependencies, parent or protect, so they are read off the request
// the monitor answers.
function recordRegistrations(): Map<string, Registration> {
    const registrations = new Map<string, Registration>();
    const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
    watchMonitor((request) => {
        const options = request as unknown as RegistrationOptions;
        registrations.set(`${request.getType()}::${request.getName()}`, {
            dependsOn: request.getDependenciesList().map(nameOf),
            parent: options.getParent() ? nameOf(options.getParent()) : undefined,
            protect: options.getProtect(),
            retainOnDelete: options.getRetainondelete(),
        });
    });
    // A read's dependencies too: an adopted repo waits like a created one.
    watchReads((request) => {
        registrations.set(`${request.getType()}::${request.getName()}`, {
            dependsOn: request.getDependenciesList().map(nameOf), parent: request.getParent() ? nameOf(request.getParent()) : undefined, protect: false,
        });
    });
    return registrations;
}

/** Resolves an output (or a structure holding outputs) to its value and whether it is secret. */
export async function resolve<T>(value: pulumi.Input<T>): Promise<{ value: pulumi.Unwrap<T>; secret: boolean }> {
    const out = pulumi.output(value);
    const [resolved, secret] = await Promise.all([
        new Promise<pulumi.Unwrap<T>>((r) => out.apply((v) => { r(v); return v; })),
        (out as unknown as { isSecret: Promise<boolean> }).isSecret,
    ]);
    return { value: resolved, secret };
}

export interface ProgramRun {
    readonly recording: Recording;
    /** The stack outputs, or undefined when the program stopped with an error. */
    readonly exports?: Record<string, unknown>;
    readonly error?: Error;
    /** What `probe` returned, called as soon as the program was loaded. */
    readonly probe?: unknown;
}

const root = path.join(__dirname, "..", "..");

/**
 * Runs index.ts afresh with this stack config, as `pulumi up` would. `onMocks` runs once the
 * mocks are in place and before the program is loaded, to watch its registrations.
 */
export async function runProgram(
    config: Record<string, unknown>, secretKeys: string[] = [], probe: () => unknown = () => undefined,
    onMocks: () => void = () => undefined, stack = "test",
): Promise<ProgramRun> {
    // Each `pulumi up` is a fresh process: what the program sets globally ends with the run.
    const formatter = stackTraceFormatting.prepareStackTrace;
    try {
        const { recording, result } = await record(() => {
            try {
                // Loaded once (the first run requires it), called once per run, as Pulumi calls it.
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const program = require(path.join(root, "index.ts")) as () => Record<string, unknown>;
                const exports = program();
                return { exports, probe: probe() };
            } catch (error) {
                return { error: error as Error };
            }
        }, config, secretKeys, onMocks, stack);
        if (!("error" in result)) {
            catalogueStack(config, recording);
        }
        return { recording, ...result };
    } finally {
        stackTraceFormatting.prepareStackTrace = formatter;
    }
}

/**
 * Where `npm test` has the unit tier write what every whole-program spec's run registered (one JSON
 * line a run without error), for the cluster tier to apply to a real API server
 * (test/cluster/stacks.spec.ts).
 */
export const stackCatalogueVariable = "GITOPS_PLATFORM_STACK_CATALOGUE";
/**
 * Where the cluster tier reads that file: a variable of its own, so that the cluster tier's runs,
 * in parallel worker processes, never append to what it reads.
 */
export const unitStacksVariable = "GITOPS_PLATFORM_UNIT_STACKS";

export interface CataloguedStack {
    readonly teams: readonly string[];
    readonly resources: ReadonlyArray<Omit<Created, "secretInputs">>;
}

function catalogueStack(config: Record<string, unknown>, recording: Recording): void {
    const file = process.env[stackCatalogueVariable];
    if (file) {
        const teams = Array.isArray(config["platform:teams"]) ? (config["platform:teams"] as { name?: string }[]).map((t) => String(t.name)) : [];
        const stack: CataloguedStack = { teams, resources: recording.resources.map(({ type, name, inputs, dependsOn, parent, protect }) =>
            ({ type, name, inputs, dependsOn, parent, protect })) };
        fs.appendFileSync(file, `${JSON.stringify(stack)}\n`);
    }
}
