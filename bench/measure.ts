// One measurement in a fresh process, so that peak memory is this run's own. Two modes:
//   --teams N --shapes FILE   run index.ts under Pulumi's mocks with a generated stack of N teams,
//                             and write the shape of every registration to FILE;
//   --floor FILE              replay those registrations (same types, same output properties)
//                             flat, with no inputs and no program logic: the SDK's own cost, with
//                             the runtime set as index.ts sets it (promise stacks not formatted);
//   --floor FILE --as-shipped the same with the SDK as it comes;
//   --floor FILE --with-inputs the same registrations with the inputs the program gave them, as
//                             plain values: the cost of registering exactly these resources;
//   --floor FILE --in-turns   (with either of the above) each team's registrations on its own turn
//                             of the event loop, as the program builds its teams.
// PULUMI_DEBUG_PROMISE_LEAKS=1 in the environment runs the program with the SDK as it comes.
// Prints one JSON line. Run with --expose-gc, so that the heap left after the run can be measured.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { buildInTurns } from "../runtime/buildInTurns";
import { skipPromiseLeakStacks } from "../runtime/promiseLeakStacks";
import { computedOutputs } from "../test/kit/mockOutputs";
import { waitForRegistrations, watchConstruction, watchMonitor } from "../test/kit/sdkInternals";
import { BenchEngine, benchConfig, teamName } from "./benchConfig";
import { PodRequest, podsOf } from "./footprint";

interface Shape {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly outputs: readonly string[];
    /** The inputs the program gave it, as plain values; recorded with --shapes. */
    readonly inputs?: Record<string, unknown>;
}

interface Registration {
    readonly urn: string;
    readonly type: string;
    readonly dependencies: readonly string[];
}

const registrations: Registration[] = [];
const shapes: Shape[] = [];
const pods: PodRequest[] = [];
// As JSON text: holding the objects themselves would keep every resource's inputs alive and
// inflate the very memory being measured. Recorded only with --shapes, and then counted in the
// program's time, against it.
const inputsByResource = new Map<string, string>();

function resourceKey(type: string, name: string): string {
    return `${type}::${name}`;
}

function flag(name: string): string | undefined {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
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
            return { id: `${args.name}-id`, state: { ...inputs, ...computedOutputs(args.type, args.name) } };
        },
        call(args: pulumi.runtime.MockCallArgs) {
            return args.inputs as Record<string, unknown>;
        },
    }, "platform", "bench", false);
    watchRegistrations();

    const start = process.hrtime.bigint();
    if (floorFile) {
        if (!process.argv.includes("--as-shipped")) {
            skipPromiseLeakStacks();
        }
        const recorded = JSON.parse(fs.readFileSync(floorFile, "utf8")) as Shape[];
        const withInputs = process.argv.includes("--with-inputs");
        if (process.argv.includes("--in-turns")) {
            new ReplayedInTurns(recorded, withInputs);
        } else {
            recorded.forEach((shape, i) => replayOne(shape, i, withInputs));
        }
    } else {
        const { config, secretKeys } = benchConfig(teams, engine);
        pulumi.runtime.setAllConfig(config, secretKeys);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(path.join(__dirname, "..", "index"));
    }
    await waitForRegistrations();
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    // What stays alive once everything is registered: the program's own cost per team, which peak
    // RSS shows only through the collector's choices of when to grow the heap.
    (globalThis as { gc?: () => void }).gc?.();
    const retainedMb = process.memoryUsage().heapUsed / 1024 / 1024;
    if (shapesFile) {
        fs.writeFileSync(shapesFile, JSON.stringify(shapes.map((shape) => {
            const inputs = inputsByResource.get(resourceKey(shape.type, shape.name));
            return inputs === undefined ? shape : { ...shape, inputs: JSON.parse(inputs) as Record<string, unknown> };
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
    constructor(type: string, name: string, outputs: readonly string[], inputs: Record<string, unknown> = {}) {
        super(type, name, { ...Object.fromEntries(outputs.map((k) => [k, undefined])), ...inputs });
    }
}

function replayOne(shape: Shape, i: number, withInputs: boolean): void {
    if (shape.custom) {
        new ReplayedCustom(shape.type, `r${i}`, shape.outputs, withInputs ? shape.inputs : undefined);
    } else {
        new pulumi.ComponentResource(shape.type, `r${i}`);
    }
}

/**
 * The first recorded resource (the Platform), which replays the shared resources at once and then
 * one team's (found by resource name) per turn. Like the Platform, its outputs wait for the last
 * turn, which keeps the run alive meanwhile.
 */
class ReplayedInTurns extends pulumi.ComponentResource {
    constructor(recorded: readonly Shape[], withInputs: boolean) {
        super(recorded[0].type, "r0");
        const turns = new Map<string, Array<{ shape: Shape; i: number }>>();
        recorded.forEach((shape, i) => {
            if (i === 0) return;
            const team = /^platform-team-(team\d+)(-|$)/.exec(shape.name)?.[1] ?? "";
            const turn = turns.get(team) ?? [];
            turn.push({ shape, i });
            turns.set(team, turn);
        });
        const replayTurn = (turn: Array<{ shape: Shape; i: number }>) => turn.forEach(({ shape, i }) => replayOne(shape, i, withInputs));
        const [shared, ...teams] = [...turns.values()];
        replayTurn(shared);
        this.registerOutputs(buildInTurns(teams, replayTurn).then(() => ({})));
    }
}

function watchRegistrations(): void {
    watchConstruction((type, name, custom, outputs) => shapes.push({ type, name, custom, outputs }));
    watchMonitor(() => undefined, (request, response) => registrations.push({
        urn: response.getUrn(), type: request.getType(), dependencies: request.getDependenciesList(),
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
        const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
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
