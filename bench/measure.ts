// One measurement in a fresh process, so that peak memory is this run's own. Two modes:
//   --teams N --shapes FILE   run index.ts under Pulumi's mocks with a generated stack of N teams,
//                             and write the shape of every registration to FILE;
//   --floor FILE              replay those registrations (same types, same output properties)
//                             flat, with no inputs and no program logic: the SDK's own cost.
// Prints one JSON line.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { benchConfig } from "./benchConfig";

interface Shape {
    readonly type: string;
    readonly custom: boolean;
    readonly outputs: readonly string[];
}

interface Registration {
    readonly urn: string;
    readonly type: string;
    readonly dependencies: readonly string[];
}

interface PodRequest {
    readonly namespace: string;
    readonly cpuMilli: number;
    readonly memoryMi: number;
}

const registrations: Registration[] = [];
const shapes: Shape[] = [];
const pods: PodRequest[] = [];

function flag(name: string): string | undefined {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
    const floorFile = flag("--floor");
    const shapesFile = flag("--shapes");
    const teams = Number(flag("--teams") ?? 0);
    await pulumi.runtime.setMocks({
        newResource(args) {
            notePods(args.type, args.inputs);
            return { id: `${args.name}-id`, state: { ...args.inputs, ...computed(args.type) } };
        },
        call(args) {
            return args.inputs;
        },
    }, "platform", "bench", false);
    watchRegistrations();

    const start = process.hrtime.bigint();
    if (floorFile) {
        replay(JSON.parse(fs.readFileSync(floorFile, "utf8")));
    } else {
        const { config, secretKeys } = benchConfig(teams);
        pulumi.runtime.setAllConfig(config, secretKeys);
        require(path.join(__dirname, "..", "index"));
    }
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (shapesFile) {
        fs.writeFileSync(shapesFile, JSON.stringify(shapes));
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
    constructor(type: string, name: string, outputs: readonly string[]) {
        super(type, name, Object.fromEntries(outputs.map((k) => [k, undefined])));
    }
}

function replay(recorded: readonly Shape[]): void {
    recorded.forEach((shape, i) => {
        if (shape.custom) {
            new ReplayedCustom(shape.type, `r${i}`, shape.outputs);
        } else {
            new pulumi.ComponentResource(shape.type, `r${i}`);
        }
    });
}

function cpuMilli(q: string | undefined): number {
    if (!q) return 0;
    return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

function memoryMi(q: string | undefined): number {
    if (!q) return 0;
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi)$/.exec(q);
    if (!m) throw new Error(`unexpected memory quantity ${q}`);
    return Number(m[1]) * { Ki: 1 / 1024, Mi: 1, Gi: 1024 }[m[2] as "Ki" | "Mi" | "Gi"];
}

/** Pods the platform runs: every Deployment's replicas times its containers' requests. */
function notePods(type: string, inputs: Record<string, any>): void {
    if (type !== "kubernetes:apps/v1:Deployment" || !inputs.spec) return;
    const spec = inputs.spec;
    for (const c of spec.template.spec.containers) {
        pods.push({
            namespace: inputs.metadata.namespace,
            cpuMilli: (spec.replicas ?? 1) * cpuMilli(c.resources?.requests?.cpu),
            memoryMi: (spec.replicas ?? 1) * memoryMi(c.resources?.requests?.memory),
        });
    }
}

function computed(type: string): Record<string, unknown> {
    switch (type) {
        case "tls:index/privateKey:PrivateKey":
            return { privateKeyOpenssh: "k", publicKeyOpenssh: "ssh-ed25519 AAAA", publicKeyFingerprintSha256: "SHA256:x" };
        case "github:index/repository:Repository":
            return { defaultBranch: "main" };
        default:
            return {};
    }
}

// The mocks' API shows neither a request's dependencies nor a resource's output properties, so
// wrap the SDK's registration and the mock monitor to see both.
function watchRegistrations(): void {
    const sdk = require("@pulumi/pulumi/runtime/resource");
    const register = sdk.registerResource;
    sdk.registerResource = (res: unknown, parent: unknown, t: string, name: string, custom: boolean, remote: boolean,
        newDependency: unknown, props: Record<string, unknown>, ...rest: unknown[]) => {
        shapes.push({ type: t, custom, outputs: Object.keys(props) });
        return register(res, parent, t, name, custom, remote, newDependency, props, ...rest);
    };
    const monitor: any = require("@pulumi/pulumi/runtime/settings").getMonitor();
    const registerOnMonitor = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) =>
        registerOnMonitor(req, (err: unknown, resp: any) => {
            if (!err) {
                registrations.push({ urn: resp.getUrn(), type: req.getType(), dependencies: req.getDependenciesList() });
            }
            callback(err, resp);
        });
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

main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
});
