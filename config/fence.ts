// Reads the keys that fence a team in (`podSecurity`, `policies`, `quota`, `limits` of a team
// entry) and the platform's `network` key, with defaults safe enough that a team which sets
// nothing still cannot take the cluster, and checks that the values agree with each other and
// leave room for the team's own Flux, which runs under the same rules.
import { TeamFootprint } from "../components/shared/engine";
import { PodSecurityLevel, podSecurityLevels } from "../components/shared/podSecurityLevel";
import { RawObject, readBoolean, readInteger, readObject, readQuantity, readString, readStringList, Rule } from "../components/shared/settings/fields";
import { Problems, show } from "../components/shared/settings/problems";
import { bytes, bytesQuantity, cores, cpuQuantity } from "../components/shared/settings/quantity";
import { FenceSettings, LimitSettings, NetworkSettings, QuotaSettings } from "./types";

export const fenceKeys = ["podSecurity", "policies", "quota", "limits"];
const quotaKeys = ["cpu", "memory", "pods", "storage", "loadBalancers", "nodePorts", "ephemeralStorage",
    "secrets", "configMaps", "services", "persistentVolumeClaims", "customResources"];

export const fenceDefaults: FenceSettings = {
    podSecurity: "baseline",
    policies: { containerResources: true },
    // Room for a handful of small services next to the team's Flux; a team that needs more asks.
    // Counts: several times what a team of that size keeps (a Secret and a ConfigMap or two per
    // service), far below what would fill etcd or the shared controllers' caches.
    quota: {
        cpu: "2", memory: "4Gi", pods: 30, storage: "20Gi", loadBalancers: 0, nodePorts: 0, ephemeralStorage: "10Gi",
        secrets: 50, configMaps: 50, services: 20, persistentVolumeClaims: 10, customResources: 50,
    },
    limits: {
        defaultRequest: { cpu: "100m", memory: "128Mi", ephemeralStorage: "100Mi" },
        default: { memory: "256Mi", ephemeralStorage: "1Gi" },
    },
};

const podSecurity: Rule<string> = (value) => podSecurityLevels.includes(value as PodSecurityLevel)
    ? undefined
    : `is not a pod security level: use ${podSecurityLevels.join(", ")}`;

const namespaceName: Rule<string> = (value) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) && value.length <= 63
    ? undefined
    : "is not a namespace name (a DNS-1123 label)";

/**
 * The fence keys of one team entry; `key` is the entry's, e.g. `platform:teams[0]`. `footprint`:
 * what the team's engine runs in the namespace, which the quota must leave room for; undefined
 * when it runs nothing there.
 */
export function readFence(key: string, entry: RawObject, footprint: TeamFootprint | undefined, problems: Problems): FenceSettings {
    const d = fenceDefaults;
    const policies = entry.policies === undefined ? {} : readObject(`${key}.policies`, entry.policies, ["containerResources"], problems) ?? {};
    return {
        podSecurity: readString(`${key}.podSecurity`, entry.podSecurity, d.podSecurity, problems, podSecurity) as PodSecurityLevel,
        policies: {
            containerResources: readBoolean(`${key}.policies.containerResources`, policies.containerResources,
                d.policies.containerResources, problems),
        },
        ...readBudget(key, entry, footprint, problems),
    };
}

// Quota and limits are read together because each is checked against the other.
function readBudget(key: string, entry: RawObject, footprint: TeamFootprint | undefined,
    problems: Problems): { quota: QuotaSettings; limits: LimitSettings } {
    const before = problems.all.length;
    const quota = readQuota(`${key}.quota`, entry.quota, problems);
    const limits = readLimits(`${key}.limits`, entry.limits, problems);
    // Compared only when every value read, so a typo is reported once, not again as a mismatch.
    if (problems.all.length === before) {
        checkBudget(key, quota, limits, footprint, problems);
    }
    return { quota, limits };
}

function readQuota(key: string, value: unknown, problems: Problems): QuotaSettings {
    const obj = value === undefined ? {} : readObject(key, value, quotaKeys, problems) ?? {};
    const d = fenceDefaults.quota;
    return {
        cpu: readQuantity(`${key}.cpu`, obj.cpu, d.cpu, problems, cpuQuantity),
        memory: readQuantity(`${key}.memory`, obj.memory, d.memory, problems, bytesQuantity),
        pods: readInteger(`${key}.pods`, obj.pods, d.pods, problems, 1, 100000),
        storage: readQuantity(`${key}.storage`, obj.storage, d.storage, problems, bytesQuantity),
        loadBalancers: readInteger(`${key}.loadBalancers`, obj.loadBalancers, d.loadBalancers, problems, 0, 1000),
        nodePorts: readInteger(`${key}.nodePorts`, obj.nodePorts, d.nodePorts, problems, 0, 1000),
        ephemeralStorage: readQuantity(`${key}.ephemeralStorage`, obj.ephemeralStorage, d.ephemeralStorage, problems, bytesQuantity),
        secrets: readInteger(`${key}.secrets`, obj.secrets, d.secrets, problems, 1, 100000),
        configMaps: readInteger(`${key}.configMaps`, obj.configMaps, d.configMaps, problems, 1, 100000),
        services: readInteger(`${key}.services`, obj.services, d.services, problems, 0, 100000),
        persistentVolumeClaims: readInteger(`${key}.persistentVolumeClaims`, obj.persistentVolumeClaims, d.persistentVolumeClaims, problems, 0, 100000),
        customResources: readInteger(`${key}.customResources`, obj.customResources, d.customResources, problems, 1, 100000),
    };
}

function readLimits(key: string, value: unknown, problems: Problems): LimitSettings {
    const obj = value === undefined ? {} : readObject(key, value, ["defaultRequest", "default"], problems) ?? {};
    const d = fenceDefaults.limits;
    const read = (part: "defaultRequest" | "default") => obj[part] === undefined
        ? {}
        : readObject(`${key}.${part}`, obj[part], ["cpu", "memory", "ephemeralStorage"], problems) ?? {};
    const request = read("defaultRequest");
    const limit = read("default");
    const cpuLimit = readQuantity(`${key}.default.cpu`, limit.cpu, "", problems, cpuQuantity);
    return {
        defaultRequest: {
            cpu: readQuantity(`${key}.defaultRequest.cpu`, request.cpu, d.defaultRequest.cpu, problems, cpuQuantity),
            memory: readQuantity(`${key}.defaultRequest.memory`, request.memory, d.defaultRequest.memory, problems, bytesQuantity),
            ephemeralStorage: readQuantity(`${key}.defaultRequest.ephemeralStorage`, request.ephemeralStorage,
                d.defaultRequest.ephemeralStorage, problems, bytesQuantity),
        },
        default: {
            ...(cpuLimit === "" ? {} : { cpu: cpuLimit }),
            memory: readQuantity(`${key}.default.memory`, limit.memory, d.default.memory, problems, bytesQuantity),
            ephemeralStorage: readQuantity(`${key}.default.ephemeralStorage`, limit.ephemeralStorage, d.default.ephemeralStorage, problems, bytesQuantity),
        },
    };
}

function checkBudget(key: string, quota: QuotaSettings, limits: LimitSettings, footprint: TeamFootprint | undefined,
    problems: Problems): void {
    if (footprint && cores(quota.cpu) < cores(footprint.requests.cpu)) {
        problems.add(`${key}.quota.cpu`, `${show(quota.cpu)} leaves no room for the team's own Flux, which requests ${footprint.requests.cpu}`);
    }
    if (footprint && bytes(quota.memory) < bytes(footprint.limits.memory)) {
        problems.add(`${key}.quota.memory`, `${show(quota.memory)} leaves no room for the team's own Flux, whose memory ` +
            `limit is ${footprint.limits.memory} (the quota caps the sum of memory limits)`);
    }
    const { defaultRequest, default: limit } = limits;
    if (bytes(defaultRequest.memory) > bytes(limit.memory)) {
        problems.add(`${key}.limits.defaultRequest.memory`, `${show(defaultRequest.memory)} is more than ` +
            `limits.default.memory (${limit.memory}): a container's default request may not exceed its default limit`);
    }
    if (limit.cpu !== undefined && cores(defaultRequest.cpu) > cores(limit.cpu)) {
        problems.add(`${key}.limits.defaultRequest.cpu`, `${show(defaultRequest.cpu)} is more than ` +
            `limits.default.cpu (${limit.cpu}): a container's default request may not exceed its default limit`);
    }
    if (bytes(defaultRequest.ephemeralStorage) > bytes(limit.ephemeralStorage)) {
        problems.add(`${key}.limits.defaultRequest.ephemeralStorage`, `${show(defaultRequest.ephemeralStorage)} is more than ` +
            `limits.default.ephemeralStorage (${limit.ephemeralStorage}): a container's default request may not exceed its default limit`);
    }
    if (bytes(limit.ephemeralStorage) > bytes(quota.ephemeralStorage)) {
        problems.add(`${key}.limits.default.ephemeralStorage`, `${show(limit.ephemeralStorage)} is more than quota.ephemeralStorage ` +
            `(${quota.ephemeralStorage}): every container left to the default would be refused`);
    }
    if (bytes(limit.memory) > bytes(quota.memory)) {
        problems.add(`${key}.limits.default.memory`, `${show(limit.memory)} is more than quota.memory (${quota.memory}): ` +
            "every container left to the default would be refused");
    }
}

/** `platform:network`; team names are checked against it once the teams are read. */
export function readNetwork(key: string, value: unknown, problems: Problems): NetworkSettings {
    const obj = value === undefined ? {} : readObject(key, value, ["ingressNamespaces"], problems) ?? {};
    const names = readStringList(`${key}.ingressNamespaces`, obj.ingressNamespaces, problems, namespaceName);
    return { ingressNamespaces: [...new Set(names)] };
}

/** An ingress namespace that is a team's would open that team to every other team's namespace. */
export function checkIngressNamespaces(key: string, network: unknown, teamNames: readonly string[], problems: Problems): void {
    const names = (network as { ingressNamespaces?: unknown } | undefined)?.ingressNamespaces;
    if (!Array.isArray(names)) {
        return;
    }
    names.forEach((name, i) => {
        if (typeof name === "string" && teamNames.includes(name)) {
            problems.add(`${key}.ingressNamespaces[${i}]`, `${show(name)} is a team's namespace: ingress namespaces are let ` +
                "into every team namespace, so they must be shared ingress controllers, not teams");
        }
    });
}
