// The keys of stack config the providers read, at the pinned packages, so that a typo such as
// `github:ownr` or `kubernetes:contxt` stops the update instead of being ignored (the last would
// deploy to whatever kubeconfig context is current). The GitHub and TLS packages list their
// config variables; the Kubernetes package has no config module, so its list is written here and
// test/config/configNamespaces.spec.ts holds it to the pinned package's ProviderArgs.
import * as githubConfig from "@pulumi/github/config";
import * as tlsConfig from "@pulumi/tls/config";
import { closest, editDistance, Problems } from "../components/shared/settings/problems";

const variables = (module: object) => Object.getOwnPropertyNames(module).filter((k) => k !== "__esModule");

/** pulumi-kubernetes 4.34.2 `ProviderArgs`, the provider's config variables. */
export const kubernetesKeys = [
    "alwaysRender", "cluster", "clusterIdentifier", "context", "deleteUnreachable", "enableConfigMapMutable", "enablePatchForce",
    "enableSecretMutable", "enableServerSideApply", "helmReleaseSettings", "kubeClientSettings", "kubeconfig", "namespace",
    "renderYamlToDirectory", "skipUpdateUnreachable", "suppressDeprecationWarnings", "suppressHelmHookWarnings", "upsertExistingObjects",
];

/** Each namespace a provider reads, with its keys. `platform:` is the program's own, checked by validate.ts. */
export const providerKeys: Readonly<Record<string, readonly string[]>> = {
    github: variables(githubConfig),
    kubernetes: kubernetesKeys,
    tls: variables(tlsConfig),
};

/**
 * Refuses a key of a provider's namespace that the provider does not read, and a namespace one or
 * two letters from one the program reads (`platfrom:`). Other namespaces are left alone: `pulumi:`
 * is the engine's, and a stack may carry config for tools of its own.
 */
export function checkNamespaces(raw: Readonly<Record<string, string>>, ownNamespace: string, problems: Problems): void {
    const namespaces = [ownNamespace, ...Object.keys(providerKeys)];
    for (const full of Object.keys(raw)) {
        const at = full.indexOf(":");
        const [space, key] = [full.slice(0, at), full.slice(at + 1)];
        const known = providerKeys[space];
        if (known !== undefined) {
            if (!known.includes(key)) {
                const guess = closest(key, known);
                problems.add(full, `is not a key the ${space} provider reads; ${guess ? `did you mean "${space}:${guess}"? ` : ""}` +
                    `(its keys: ${known.map((k) => `${space}:${k}`).join(", ")})`);
            }
            continue;
        }
        if (namespaces.includes(space) || space === "pulumi") {
            continue;
        }
        // Stricter than for keys: `aws:` or `gitlab:` may be a tool's of the stack's own, not a typo.
        const guess = namespaces.find((n) => editDistance(space.toLowerCase(), n) <= (Math.min(space.length, n.length) >= 7 ? 2 : 1));
        if (guess !== undefined) {
            problems.add(full, `is in no namespace the program reads; did you mean "${guess}:${key}"?`);
        }
    }
}

/**
 * Provider settings the platform cannot run with. `kubernetes:upsertExistingObjects` makes a create
 * of an object that exists a patch of it (pulumi-kubernetes `ProviderArgs`): a team named like a
 * namespace the cluster already has would adopt it, and offboarding would later delete it.
 */
export function checkProviderValues(raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>, problems: Problems): void {
    const upsert = "kubernetes:upsertExistingObjects";
    if (raw[upsert] !== undefined && !secretKeys.has(upsert) && raw[upsert].trim().toLowerCase() === "true") {
        problems.add(upsert, "must not be true: the platform would adopt a namespace (or any object) the cluster already has, " +
            "and delete it when the team is offboarded; a team named like an existing namespace must stop the update instead");
    }
}
