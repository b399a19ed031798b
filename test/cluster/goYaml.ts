// Reads upstream YAML the way Kubernetes' Go code does (sigs.k8s.io/yaml, after the document
// splitter of k8s.io/apimachinery/pkg/util/yaml), or fails loudly.
//
// The npm `yaml` package is strict YAML 1.2 and, for example, breaks flagger v1.44.0
// `charts/flagger/crds/crd.yaml` (single-quoted descriptions continued at the key's own
// indentation): it reports MISSING_CHAR errors and builds wrong keys. js-yaml accepts those lines
// as Go does. Where YAML 1.1 (Go) and 1.2 (js-yaml) disagree on a plain scalar, we refuse it.
import * as jsYaml from "js-yaml";

type Json = Record<string, any>;

/** Plain scalars that YAML 1.1 (Go's yaml.v2) reads as booleans or octal numbers and YAML 1.2 does not. */
const yaml11Only = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?0[0-7_]+|[-+]?0o[0-7_]+)$/;

const ambiguous = new jsYaml.Type("tag:yaml.org,2002:gitops-platform-ambiguous", {
    kind: "scalar",
    resolve: (data: unknown) => typeof data === "string" && yaml11Only.test(data),
    construct: (data: string) => {
        throw new Error(`plain scalar '${data}' means different things in YAML 1.1 (Go) and 1.2; refusing to guess`);
    },
});

// js-yaml 4 exports its scalar types as `types`; @types/js-yaml 4.0.9 does not declare them.
const types = (jsYaml as unknown as { types?: Record<"null" | "bool" | "int" | "float" | "merge", jsYaml.Type> }).types;
if (!types?.merge) {
    throw new Error("js-yaml exports no `types`: not the js-yaml 4 this file was written for");
}

/**
 * YAML 1.2 core without timestamps (Go yaml.v2 gives a timestamp to interface{} as a string),
 * with merge keys (Go has them), and the ambiguous scalars above ahead of the core ones.
 */
const goSchema = jsYaml.FAILSAFE_SCHEMA.extend({
    implicit: [types.null, ambiguous, types.bool, types.int, types.float, types.merge],
});

/** Every non-empty document of `text`, as JSON objects; `source` names the file in errors. */
export function parseDocuments(text: string, source: string): Json[] {
    let documents: unknown[];
    try {
        documents = jsYaml.loadAll(text, undefined, { schema: goSchema, filename: source });
    } catch (error) {
        throw new Error(`cannot read ${source} as Go would: ${(error as Error).message}`);
    }
    return documents.filter((document) => document !== null && document !== undefined).map((document, index) => {
        if (typeof document !== "object" || Array.isArray(document)) {
            throw new Error(`${source}: document ${index} is not an object`);
        }
        return document;
    });
}
