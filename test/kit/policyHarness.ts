// Runs the policy pack's policies the way the Pulumi engine does, through the policy SDK's own
// analyzer handlers: per resource Remediate then Analyze, then AnalyzeStack over all of them.
// Resources go in as the engine sends them (secrets and unknowns in their wire form), so the
// specs see the same deserialisation, proxies and enforcement levels as `pulumi preview`.
import * as path from "path";
import { policies as pack } from "../../policy/policies";
import { Recording } from "./harness";

type Policy = (typeof pack)[number];

export const packDir = path.join(__dirname, "..", "..", "policy");

/** A module as the pack resolves it, from its own install, so `Secret` is the pack's class. */
function fromPack(module: string): any {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve(module, { paths: [packDir] }));
}

const server = fromPack("@pulumi/policy/server");
const analyzer = fromPack("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = fromPack("google-protobuf/google/protobuf/struct_pb");

const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** A secret value as the engine sends it. */
export function secret(value: unknown): Record<string, unknown> {
    return { [sigKey]: secretSig, value };
}

/** A string the engine does not know yet (an output of a resource still to be created). */
export const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Synthetic {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    /** Per input property, the names of the resources whose outputs it was built from. */
    readonly propertyDependencies?: Record<string, string[]>;
}

export interface Violation {
    readonly policy: string;
    readonly level: string;
    /** The resource the violation is about, by name. */
    readonly resource?: string;
    /** What the policy reported, without the policy's description the SDK puts in front. */
    readonly message: string;
}

const urnOf = (r: Pick<Synthetic, "type" | "name">) => `urn:pulumi:test::platform::${r.type}::${r.name}`;
const levels = Object.fromEntries(Object.entries(analyzer.EnforcementLevel as Record<string, number>).map(([k, v]) => [v, k.toLowerCase()]));

function rpc(handler: (call: unknown, callback: (err: unknown, response: any) => void) => void, request: unknown): Promise<any> {
    return new Promise((resolve, reject) => handler({ request }, (err, response) =>
        err ? reject(err instanceof Error ? err : new Error(JSON.stringify(err))) : resolve(response)));
}

function analyzeRequest(r: Synthetic, props: unknown): unknown {
    const request = new analyzer.AnalyzeRequest();
    request.setUrn(urnOf(r));
    request.setType(r.type);
    request.setName(r.name);
    request.setProperties(Struct.fromJavaScript(props));
    request.setOptions(new analyzer.AnalyzerResourceOptions());
    return request;
}

function stackRequest(resources: readonly Synthetic[]): unknown {
    const request = new analyzer.AnalyzeStackRequest();
    request.setResourcesList(resources.map((r) => {
        const resource = new analyzer.AnalyzerResource();
        resource.setUrn(urnOf(r));
        resource.setType(r.type);
        resource.setName(r.name);
        resource.setProperties(Struct.fromJavaScript(r.props));
        resource.setOptions(new analyzer.AnalyzerResourceOptions());
        for (const [key, names] of Object.entries(r.propertyDependencies ?? {})) {
            const deps = new analyzer.AnalyzerPropertyDependencies();
            deps.setUrnsList(names.map((name) => urnOf(resources.find((d) => d.name === name)!)));
            resource.getPropertydependenciesMap().set(key, deps);
        }
        return resource;
    }));
    return request;
}

function violations(response: any, policies: readonly Policy[], resources: readonly Synthetic[], urn?: string): Violation[] {
    return (response.getDiagnosticsList() as any[]).map((d) => {
        const description = policies.find((p) => p.name === d.getPolicyname())?.description ?? "";
        const message: string = d.getMessage();
        const about = d.getUrn() || urn;
        return {
            policy: d.getPolicyname(),
            level: levels[d.getEnforcementlevel()],
            resource: resources.find((r) => urnOf(r) === about)?.name,
            message: message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message,
        };
    });
}

/** Every violation the policies report on these resources, as a preview with the pack would. */
export async function check(resources: readonly Synthetic[], policies: readonly Policy[] = pack): Promise<Violation[]> {
    const name = "gitops-platform";
    const remediate = server.makeRemediateRpcFun(name, "0.0.0", "mandatory", policies);
    const analyze = server.makeAnalyzeRpcFun(name, "0.0.0", "mandatory", policies);
    const analyzeStack = server.makeAnalyzeStackRpcFun(name, "0.0.0", "mandatory", policies);
    const found: Violation[] = [];
    for (const r of resources) {
        let props: unknown = r.props;
        for (const remediation of (await rpc(remediate, analyzeRequest(r, props))).getRemediationsList() as any[]) {
            if (remediation.getProperties()) {
                props = remediation.getProperties().toJavaScript();
            }
        }
        found.push(...violations(await rpc(analyze, analyzeRequest(r, props)), policies, resources, urnOf(r)));
    }
    found.push(...violations(await rpc(analyzeStack, stackRequest(resources)), policies, resources));
    return found;
}

/** The resources a program run registered, as the engine would send them to the pack. */
export function fromRecording(recording: Recording): Synthetic[] {
    return recording.resources.filter((r) => !r.type.startsWith("platform:")).map((r) => ({
        type: r.type,
        name: r.name,
        props: Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, r.secretInputs.has(k) ? secret(v) : v])),
    }));
}
