// `platform:mirror`: where a cluster that pulls through a mirror gets the charts' images, and
// pulumi the charts. Images that have a key of their own (an engine's) are set there: the mirror
// checks them and says which key to change, rather than rewriting a value the user wrote.
import { MirrorSettings, mirroredImage, noMirror, registryOf } from "../components/shared/mirror";
import { RawObject, readObject, readString } from "../components/shared/settings/fields";
import { closest, Problems, show } from "../components/shared/settings/problems";

const key = "platform:mirror";
/** The charts the platform installs, by the name a mirror serves each under. */
export const mirroredCharts = ["gatekeeper", "flagger", "flux-operator"];
const registryHost = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?$/;
const registryPath = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/;

export function readMirror(value: unknown, problems: Problems): MirrorSettings {
    if (value === undefined) return noMirror;
    const obj = readObject(key, value, ["registries", "charts"], problems);
    if (!obj) return noMirror;
    return { registries: readRegistries(obj.registries, problems), charts: readCharts(obj.charts, problems) };
}

function entries(at: string, value: unknown, what: string, problems: Problems): [string, unknown][] {
    if (value === undefined) return [];
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        problems.add(at, `must be an object of ${what}, got ${show(value)}`);
        return [];
    }
    return Object.entries(value as RawObject);
}

function readRegistries(value: unknown, problems: Problems): Record<string, string> {
    const at = `${key}.registries`;
    const out: Record<string, string> = {};
    for (const [host, target] of entries(at, value, "upstream registry host to mirror, such as docker.io: registry.example.com/docker.io", problems)) {
        if (!registryHost.test(host)) {
            problems.add(`${at}.${host}`, "is not a registry host such as docker.io or ghcr.io");
            continue;
        }
        const mirror = readString(`${at}.${host}`, target, "", problems, (v) => registryPath.test(v) ? undefined
            : "is not a registry and path such as registry.example.com/docker.io (no scheme, no trailing '/')");
        if (mirror !== "") out[host] = mirror;
    }
    return out;
}

function readCharts(value: unknown, problems: Problems): Record<string, string> {
    const at = `${key}.charts`;
    const out: Record<string, string> = {};
    for (const [chart, source] of entries(at, value, `chart name (${mirroredCharts.join(", ")}) to its mirror`, problems)) {
        if (!mirroredCharts.includes(chart)) {
            const guess = closest(chart, mirroredCharts);
            problems.add(`${at}.${chart}`, `is not a chart the platform installs${guess ? `; did you mean "${guess}"?` : ""} ` +
                `(${mirroredCharts.join(", ")})`);
            continue;
        }
        const mirror = readString(`${at}.${chart}`, source, "", problems, (v) => /^(https?|oci):\/\/[^\s/]+(\/[^\s]*)?$/.test(v) ? undefined
            : "is neither a Helm repository URL (https://...) nor an OCI chart reference (oci://.../" + chart + ")");
        if (mirror !== "") out[chart] = mirror;
    }
    return out;
}

/** An image an engine runs, and the key that sets it. */
export interface KeyedImage {
    readonly key: string;
    readonly image: string;
    /** What else must change with it, said in the problem. */
    readonly also?: string;
}

/** Refuses an image set by a key of its own that still comes from a registry the mirror replaces. */
export function checkMirroredImages(images: readonly KeyedImage[], mirror: MirrorSettings, problems: Problems): void {
    for (const { key: at, image, also } of images) {
        const registry = registryOf(image);
        if (mirror.registries[registry] !== undefined) {
            problems.add(at, `${show(image)} comes from ${registry}, which ${key}.registries sends to ${mirror.registries[registry]}: ` +
                `set it to ${show(mirroredImage(image, mirror))}${also ? ` ${also}` : ""}`);
        }
    }
}
