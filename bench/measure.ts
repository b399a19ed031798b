// One measurement in a fresh process, so that peak memory is this run's own. Modes:
//   --teams N                  run index.ts under Pulumi's mocks with a generated stack of N teams;
//   --teams N --shapes FILE    the same, and write each registration to FILE as the engine received
//                              it: type, name, parent, aliases, dependencies, output properties and
//                              inputs. Recording costs time: the program's timed runs are without it;
//   --floor FILE               replay those registrations (same types, parents, aliases,
//                              dependencies and output properties) all at once, with no inputs and
//                              no program logic: the SDK's own cost, with the runtime set as index.ts
//                              sets it (promise stacks not formatted);
//   --floor FILE --as-shipped  the same with the SDK as it comes;
//   --floor FILE --with-inputs the same registrations with the inputs the program gave them, as
//                              plain values: the cost of registering exactly these resources;
//   --floor FILE --in-turns    (with either of the above) each team's registrations on its own turn
//                              of the event loop, as the program builds its teams;
//   --load                     only load the modules index.ts imports: what loading the program's
//                              code (through ts-node) takes before it registers anything.
// PULUMI_DEBUG_PROMISE_LEAKS=1 in the environment runs the program with the SDK as it comes.
// Prints one JSON line. Run with --expose-gc, so that the heap left after the run can be measured.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { buildInTurns } from "../runtime/buildInTurns";
import { skipPromiseLeakStacks } from "../runtime/promiseLeakStacks";
import { computedOutputs, unwrapSecrets } from "../test/kit/mockOutputs";
import { waitForRegistrations, watchConstruction, watchMonitor } from "../test/kit/sdkInternals";
import { BenchEngine, benchConfig, teamName } from "./benchConfig";
import { PodRequest, podsOf } from "./footprint";
import { RecordedRegistration } from "./recordedRegistration";

interface Registration {
    readonly urn: string;
    readonly type: string;
    readonly parent: string;
    readonly dependencies: readonly string[];
    readonly aliases: ReadonlyArray<{ readonly name?: string; readonly type?: string }>;
}

const registrations: Registration[] = [];
const shapes: RecordedRegistration[] = [];
const pods: PodRequest[] = [];
// As JSON text: holding the objects themselves would keep every resource's inputs alive and
// inflate the very memory being measured. Recorded only with --shapes, in a run that is not timed.
const inputsByResource = new Map<string, string>();

function resourceKey(type: string, name: string): string {
    return `${type}::${name}`;
}

/** A resource's name, the last part of its URN. */
function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

function flag(name: string): string | undefined {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
}

/** The program's own modules, as index.ts imports them. */
function programModules(): string[] {
    const index = fs.readFileSync(path.join(__dirname, "..", "index.ts"), "utf8");
    return [...index.matchAll(/^import .* from "(\.\/[^"]+)";$/gm)].map((m) => path.join(__dirname, "..", m[1]));
}

async function main(): Promise<void> {
    if (process.argv.includes("--load")) {
        const modules = programModules();
        const start = process.hrtime.bigint();
        for (const module of modules) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            require(module);
        }
        process.stdout.write(JSON.stringify({ wallMs: Number(process.hrtime.bigint() - start) / 1e6, modules: modules.length }) + "\n");
        return;
    }
    const floorFile = flag("--floor");
    const shapesFile = flag("--shapes");
    const teams = Number(flag("--teams") ?? 0);
    const engine = (flag("--engine") ?? "flux1") as BenchEngine;
    await pulumi.runtime.setMocks({
        newResource(args: pulumi.runtime.MockResourceArgs) {
            const inputs = args.inputs as Record<string, unknown>;
            pods.push(...podsOf(args.type, inputs));
            if (shapesFile) {
                inputsByResource.set(resourceKey(args.type, args.name), JSON.stringify(inputs));
            }
            return { id: `${args.name}-id`, state: { ...inputs, ...computedOutputs(args.type, args.name, unwrapSecrets(inputs).inputs) } };
        },
        call(args: pulumi.runtime.MockCallArgs) {
            return args.inputs as Record<string, unknown>;
        },
    }, "platform", "bench", false);
    watchRegistrations();

    const start = process.hrtime.bigint();
    // Both run inside a Stack resource, as Pulumi's language host runs a program (runInPulumiStack
    // in @pulumi/pulumi cmd/run/run.js): the root of every resource, which keeps each one alive
    // until the program ends, and whose outputs are the program's exports.
    await pulumi.runtime.runInPulumiStack(() => {
        if (floorFile) {
            if (!process.argv.includes("--as-shipped")) {
                skipPromiseLeakStacks();
            }
            const recorded = JSON.parse(fs.readFileSync(floorFile, "utf8")) as RecordedRegistration[];
            const replayer = new Replayer(process.argv.includes("--with-inputs"), recorded);
            if (process.argv.includes("--in-turns")) {
                new ReplayedInTurns(replayer);
            } else {
                replayer.replayAll();
            }
            return Promise.resolve(undefined);
        }
        const { config, secretKeys } = benchConfig(teams, engine);
        pulumi.runtime.setAllConfig(config, secretKeys);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require(path.join(__dirname, "..", "index")) as () => Record<string, unknown>;
        return Promise.resolve(program());
    });
    await waitForRegistrations();
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    // What stays alive once everything is registered: the program's own cost per team, which peak
    // RSS shows only through the collector's choices of when to grow the heap.
    (globalThis as { gc?: () => void }).gc?.();
    const retainedMb = process.memoryUsage().heapUsed / 1024 / 1024;
    if (shapesFile) {
        const registered = new Map(registrations.map((r) => [resourceKey(r.type, nameOf(r.urn)), r]));
        fs.writeFileSync(shapesFile, JSON.stringify(shapes.map((shape) => {
            const key = resourceKey(shape.type, shape.name);
            const r = registered.get(key);
            const inputs = inputsByResource.get(key);
            return {
                ...shape,
                ...(r?.parent ? { parent: nameOf(r.parent) } : {}),
                ...(r?.dependencies.length ? { dependencies: r.dependencies.map(nameOf) } : {}),
                ...(r?.aliases.length ? { aliases: r.aliases } : {}),
                ...(inputs === undefined ? {} : { inputs: JSON.parse(inputs) as Record<string, unknown> }),
            };
        })));
    }
    process.stdout.write(JSON.stringify({
        teams,
        wallMs,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        retainedMb,
        resources: registrations.length,
        longestChain: longestChain(),
        ...countedByType(),
        pods,
    }) + "\n");
}

/** The floor's resources: what the SDK does to register each, and nothing else. */
class ReplayedCustom extends pulumi.CustomResource {
    constructor(type: string, name: string, outputs: readonly string[], inputs: Record<string, unknown>, opts: pulumi.CustomResourceOptions) {
        super(type, name, { ...Object.fromEntries(outputs.map((k) => [k, undefined])), ...inputs }, opts);
    }
}

/**
 * Replays recorded registrations as the engine received them: each under its recorded parent, with
 * its recorded aliases and dependencies (as dependsOn: the floor has no outputs to carry them). A
 * dependency replayed later (the platform's removal guard waits for every team's) is waited for.
 * The recorded Stack is not replayed: the replay runs in a Stack of its own, the default parent.
 */
class Replayer {
    private readonly replayed = new Map<string, pulumi.Resource | undefined>();
    private readonly waiting = new Map<string, (resource: pulumi.Resource) => void>();
    private readonly later = new Map<string, Promise<pulumi.Resource>>();
    /** The recorded registrations to replay, in order, with their index (the replayed name). */
    readonly registrations: ReadonlyArray<{ shape: RecordedRegistration; i: number }>;

    constructor(private readonly withInputs: boolean, recorded: readonly RecordedRegistration[]) {
        const stacks = recorded.filter((shape) => shape.type === pulumi.runtime.rootPulumiStackTypeName);
        stacks.forEach((stack) => this.replayed.set(stack.name, undefined));
        this.registrations = recorded.map((shape, i) => ({ shape, i })).filter(({ shape }) => !stacks.includes(shape));
    }

    replayAll(): void {
        this.registrations.forEach(({ shape, i }) => this.replay(shape, i));
    }

    /** Makes a resource the replayed ones may name as their parent or dependency. */
    adopt(name: string, resource: pulumi.Resource): void {
        this.replayed.set(name, resource);
        this.waiting.get(name)?.(resource);
    }

    replay(shape: RecordedRegistration, i: number): void {
        const parent = shape.parent === undefined ? undefined : this.replayed.get(shape.parent);
        if (shape.parent !== undefined && !this.replayed.has(shape.parent)) {
            throw new Error(`${shape.name}: its parent ${shape.parent} was not replayed before it`);
        }
        const deps = (shape.dependencies ?? []).map((name) => this.replayed.get(name) ?? this.whenReplayed(name));
        const ready = deps.every((d): d is pulumi.Resource => !(d instanceof Promise));
        const opts = { parent, dependsOn: ready ? deps : Promise.all(deps.map((d) => Promise.resolve(d))), ...(shape.aliases ? { aliases: [...shape.aliases] } : {}) };
        const resource = shape.custom
            ? new ReplayedCustom(shape.type, `r${i}`, shape.outputs, this.withInputs ? shape.inputs ?? {} : {}, opts)
            : new pulumi.ComponentResource(shape.type, `r${i}`, {}, opts);
        this.adopt(shape.name, resource);
    }

    private whenReplayed(name: string): Promise<pulumi.Resource> {
        const known = this.later.get(name);
        if (known) return known;
        const promise = new Promise<pulumi.Resource>((resolve) => this.waiting.set(name, resolve));
        this.later.set(name, promise);
        return promise;
    }
}

/**
 * The first recorded resource under the Stack (the Platform), which replays the shared resources
 * at once and then one team's (found by resource name) per turn. Like the Platform, its outputs
 * wait for the last turn, which keeps the run alive meanwhile.
 */
class ReplayedInTurns extends pulumi.ComponentResource {
    constructor(replayer: Replayer) {
        const [first, ...rest] = replayer.registrations;
        super(first.shape.type, `r${first.i}`);
        replayer.adopt(first.shape.name, this);
        const turns = new Map<string, Array<{ shape: RecordedRegistration; i: number }>>();
        for (const registration of rest) {
            const team = /^platform-team-(team\d+)(-|$)/.exec(registration.shape.name)?.[1] ?? "";
            const turn = turns.get(team) ?? [];
            turn.push(registration);
            turns.set(team, turn);
        }
        const replayTurn = (turn: Array<{ shape: RecordedRegistration; i: number }>) => turn.forEach(({ shape, i }) => replayer.replay(shape, i));
        const [shared, ...teams] = [...turns.values()];
        replayTurn(shared);
        this.registerOutputs(buildInTurns(teams, replayTurn).then(() => ({})));
    }
}

function watchRegistrations(): void {
    watchConstruction((type, name, custom, outputs) => shapes.push({ type, name, custom, outputs }));
    watchMonitor(() => undefined, (request, response) => registrations.push({
        urn: response.getUrn(), type: request.getType(), parent: request.getParent(), dependencies: request.getDependenciesList(),
        aliases: request.getAliasesList().map((alias) => {
            const spec = alias.getSpec();
            if (!spec) throw new Error(`${response.getUrn()}: an alias by URN, which the replay does not model`);
            return { ...(spec.getName() ? { name: spec.getName() } : {}), ...(spec.getType() ? { type: spec.getType() } : {}) };
        }),
    }));
}

/**
 * Registrations counted by type: those of the first team (its resources are named after it, as
 * `platform-team-<team>` and `platform-team-<team>-<part>`), and those of no team, once per stack.
 */
function countedByType(): { firstTeam: Record<string, number>; shared: Record<string, number> } {
    const first = `platform-team-${teamName(0)}`;
    const anyTeam = /^platform-team-team\d+(-|$)/;
    const firstTeam: Record<string, number> = {};
    const shared: Record<string, number> = {};
    for (const r of registrations) {
        const name = nameOf(r.urn);
        const into = name === first || name.startsWith(`${first}-`) ? firstTeam : anyTeam.test(name) ? undefined : shared;
        if (into) into[r.type] = (into[r.type] ?? 0) + 1;
    }
    return { firstTeam, shared };
}

/** Custom resources on the longest path of dependencies: how many must be created one after another. */
function longestChain(): number {
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    const depth = new Map<string, number>();
    const visit = (urn: string): number => {
        const known = depth.get(urn);
        if (known !== undefined) return known;
        const r = byUrn.get(urn);
        const own = r && !r.type.startsWith("platform:") ? 1 : 0;
        const d = own + Math.max(0, ...(r ? r.dependencies.map(visit) : []));
        depth.set(urn, d);
        return d;
    };
    return Math.max(0, ...registrations.map((r) => visit(r.urn)));
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});
