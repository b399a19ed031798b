// The URNs a real Pulumi engine would give the program's resources, and the ones it would accept
// for each through aliases. Pulumi's mocks build a URN from the parent's last type only
// (@pulumi/pulumi runtime/mocks.js `newUrn`), but the engine qualifies a child's type with its
// parent's whole chain (`Platform$Team$GitHubRepo$tls:index/privateKey:PrivateKey`), so a move
// two levels up would go unnoticed. A changed URN is a replaced key, repo or namespace.
import { watchMonitor } from "./sdkInternals";

export interface EngineUrns {
    /** Every resource's URN, as the engine would write it in the stack's state. */
    readonly urns: readonly string[];
    /** For each URN, every earlier URN the engine would take for it (its own, through aliases). */
    readonly accepted: ReadonlyMap<string, ReadonlySet<string>>;
}

interface AliasSpec {
    getName(): string;
    getType(): string;
    getParenturn(): string;
    getNoparent(): boolean;
}

interface Alias {
    getUrn(): string;
    getSpec(): AliasSpec | undefined;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getAliasesList(): Alias[];
}

const stackType = "pulumi:pulumi:Stack";

/** Call after the mocks are set and before the program runs; read the result once it has run. */
export function watchEngineUrns(stack: string, project: string): () => EngineUrns {
    // By the mocks' URN: the resource's qualified types and names the engine accepts, own first.
    const identities = new Map<string, Array<{ chain: string; name: string }>>();
    const urns: string[] = [];
    const accepted = new Map<string, Set<string>>();
    const urnOf = (chain: string, name: string) => `urn:pulumi:${stack}::${project}::${chain}::${name}`;
    const qualify = (parentChain: string | undefined, type: string) => parentChain ? `${parentChain}$${type}` : type;

    watchMonitor(() => undefined, (request, response) => {
        const req = request as unknown as RegisterRequest;
        const type = req.getType();
        const name = req.getName();
        const parentIds = parentIdentities(identities, req.getParent());
        // The engine qualifies by every parent identity: a parent's alias is inherited by its children.
        const own = { chain: qualify(parentIds[0]?.chain, type), name };
        const ids = [own, ...parentIds.slice(1).map((p) => ({ chain: qualify(p.chain, type), name }))];
        for (const alias of req.getAliasesList()) {
            const spec = alias.getSpec();
            if (!spec) {
                const urn = alias.getUrn();
                const parts = urn.split("::");
                ids.push({ chain: parts[2], name: parts.slice(3).join("::") });
                continue;
            }
            const aliasParents = spec.getNoparent() ? [undefined]
                : spec.getParenturn() ? parentIdentities(identities, spec.getParenturn()).map((p) => p.chain) : parentIds.map((p) => p.chain);
            for (const parentChain of aliasParents.length > 0 ? aliasParents : [undefined]) {
                ids.push({ chain: qualify(parentChain, spec.getType() || type), name: spec.getName() || name });
            }
        }
        if (type === stackType) {
            return;
        }
        identities.set(response.getUrn(), ids);
        const urn = urnOf(own.chain, own.name);
        urns.push(urn);
        accepted.set(urn, new Set(ids.map((id) => urnOf(id.chain, id.name))));
    });
    return () => ({ urns: [...urns].sort(), accepted });
}

function parentIdentities(identities: ReadonlyMap<string, Array<{ chain: string; name: string }>>, parent: string) {
    if (parent === "" || parent.split("::")[2] === stackType) {
        return [];
    }
    const ids = identities.get(parent);
    if (!ids) {
        throw new Error(`${parent} was registered as a parent before it was registered itself`);
    }
    return ids;
}
