// One measurement in a fresh process, so that peak memory is this run's own. Two modes:
//   --teams N --shapes FILE   run index.ts under Pulumi's mocks with a generated stack of N teams,
//                             and write the shape of every registration to FILE;
//   --floor FILE              replay those registrations (same types, same output properties)
//                             flat, with no inputs and no program logic: the SDK's own cost, with
//                             the runtime set as index.ts sets it (promise stacks not formatted);
//   --floor FILE --as-shipped the same with the SDK as it comes;
//   --floor FILE --with-inputs the same registrations with the inputs the program gave them, as
//                             plain values: the cost of registering exactly these resources.
// PULUMI_DEBUG_PROMISE_LEAKS=1 in the environment runs the program with the SDK as it comes.
// Prints one JSON line.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { skipPromiseLeakStacks } from "../runtime/promiseLeakStacks";
import { computedOutputs } from "../test/harness";
import { waitForRegistrations, watchConstruction, watchMonitor } from "../test/sdkInternals";
import { benchConfig } from "./benchConfig";
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
        replay(JSON.parse(fs.readFileSync(floorFile, "utf8")) as Shape[], process.argv.includes("--with-inputs"));
    } else {
        const { config, secretKeys } = benchConfig(teams);
        pulumi.runtime.setAllConfig(config, secretKeys);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(path.join(__dirname, "..", "index"));
    }
    await waitForRegistrations();
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
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
        resources: registrations.length,
        longestChain: longestChain(),
        pods,
    }) + "\n");
}

/** The floor's resources: what the SDK does to register each, and nothing else. */
class ReplayedCustom extends pulumi.CustomResource {
    constructor(type: string, name: string, outputs: readonly string[], inputs: Record<string, unknown> = {}) {
        super(type, name, { ...Object.fromEntries(outputs.map((k) => [k, undefined])), ...inputs });
    }
}

function replay(recorded: readonly Shape[], withInputs: boolean): void {
    recorded.forEach((shape, i) => {
        if (shape.custom) {
            new ReplayedCustom(shape.type, `r${i}`, shape.outputs, withInputs ? shape.inputs : undefined);
        } else {
            new pulumi.ComponentResource(shape.type, `r${i}`);
        }
    });
}

function watchRegistrations(): void {
    watchConstruction((type, name, custom, outputs) => shapes.push({ type, name, custom, outputs }));
    watchMonitor(() => undefined, (request, response) => registrations.push({
        urn: response.getUrn(), type: request.getType(), dependencies: request.getDependenciesList(),
    }));
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
