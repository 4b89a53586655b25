import {
  getMetadataStorage,
  type MetadataStorage,
  type ValidationArguments,
  ValidationTypes,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
} from 'class-validator';

/** class-validator's rule record (its type is not exported from the package's entry). */
type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/**
 * A quick "yes" for a valid request, from class-validator's own rules.
 *
 * class-validator rebuilds, per request, the list of rules of a class, groups it by property and
 * makes an error object for every property, valid or not; under load that was the largest single cost
 * of a command. Here the rules of each class are looked up and grouped once, and the very same
 * constraint functions are called with the same arguments, in the order class-validator calls them.
 * The answer is only ever "every rule passes" or "not sure": anything not sure (a failed rule, an
 * async rule, a rule kind not handled here, options other than the pipe's) goes to class-validator
 * itself, which writes the errors. So no input is let through that class-validator would refuse.
 */

interface CustomRule {
  metadata: ValidationMetadata;
  /**
   * The constraint objects, taken from class-validator's container once (it looks them up by a linear
   * search per call); its default container always answers the same object, and none other is set.
   */
  constraints: Array<{ async: boolean; validator: ValidatorConstraintInterface }>;
}

interface PropertyRules {
  name: string;
  conditions: ValidationMetadata[];
  /** IS_DEFINED first (class-validator checks it before anything may be skipped), then the others. */
  custom: CustomRule[];
  nested: ValidationMetadata[];
}

interface ClassRules {
  /** No rule at all: refused under forbidUnknownValues, else only an object without keys passes. */
  none: boolean;
  /** Every property that has some metadata: any other key is refused by the whitelist. */
  known: Set<string>;
  properties: PropertyRules[];
}

const HANDLED_TYPES = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.WHITELIST,
]);

/**
 * By class, then by the schema name class-validator passes (none at the top, the parent class's name
 * for a nested object); null: never fast. Built on first use, when every DTO module has been loaded.
 */
const rulesCache = new Map<Function, Map<string | undefined, ClassRules | null>>();

function compile(target: Function, schema: string | undefined): ClassRules | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, schema as string, false, false, undefined);
  if (metadatas.some((metadata) => !HANDLED_TYPES.has(metadata.type))) return null;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties = Object.keys(grouped).map((name): PropertyRules => {
    const own = grouped[name];
    const rules = (type: string) => own.filter((metadata) => metadata.type === type);
    const custom = [...rules(ValidationTypes.IS_DEFINED), ...rules(ValidationTypes.CUSTOM_VALIDATION)].map((metadata) => ({
      metadata,
      constraints: storage
        .getTargetValidatorConstraints(metadata.constraintCls)
        .map((constraint) => ({ async: constraint.async, validator: constraint.instance })),
    }));
    return { name, conditions: rules(ValidationTypes.CONDITIONAL_VALIDATION), custom, nested: rules(ValidationTypes.NESTED_VALIDATION) };
  });
  return { none: metadatas.length === 0, known: new Set(Object.keys(grouped)), properties };
}

function rulesOf(target: Function, schema: string | undefined): ClassRules | null {
  let bySchema = rulesCache.get(target);
  if (!bySchema) rulesCache.set(target, (bySchema = new Map()));
  let rules = bySchema.get(schema);
  if (rules === undefined) bySchema.set(schema, (rules = compile(target, schema)));
  return rules;
}

function isPromiseLike(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** One constraint's verdict; a promise (an async rule) counts as "not sure". */
function holds(result: unknown): boolean {
  return !isPromiseLike(result) && Boolean(result);
}

function customRulesPass(object: Record<string, unknown>, targetName: string, value: unknown, rules: CustomRule[]): boolean {
  for (const { metadata, constraints } of rules) {
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    for (const { async, validator } of constraints) {
      if (async) return false;
      const args: ValidationArguments = {
        targetName,
        property: metadata.propertyName,
        object,
        value,
        constraints: metadata.constraints,
      };
      if (!metadata.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
        if (!holds(validator.validate(value, args))) return false;
      } else {
        const items: unknown[] = value instanceof Map ? Array.from(value.values()) : Array.isArray(value) ? value : Array.from(value as Set<unknown>);
        for (const item of items) if (!holds(validator.validate(item, args))) return false;
      }
    }
  }
  return true;
}

function nestedRulesPass(value: unknown, rules: ValidationMetadata[], forbidUnknown: boolean): boolean {
  if (value === undefined) return true;
  for (const metadata of rules) {
    // No JSON body holds a Map; class-validator's walk over one is left to it.
    if (value instanceof Map) return false;
    if (Array.isArray(value) || value instanceof Set) {
      // Each item is checked against the nested rules alone, as class-validator does.
      for (const item of value instanceof Set ? Array.from(value) : value) if (!nestedRulesPass(item, [metadata], forbidUnknown)) return false;
    } else if (value instanceof Object) {
      const schema = typeof metadata.target === 'string' ? metadata.target : metadata.target.name;
      if (!objectPasses(value as Record<string, unknown>, schema, forbidUnknown)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function objectPasses(object: Record<string, unknown>, schema: string | undefined, forbidUnknown: boolean): boolean {
  if (typeof object.constructor !== 'function') return false;
  const rules = rulesOf(object.constructor, schema);
  if (!rules || (rules.none && forbidUnknown)) return false;
  for (const key of Object.keys(object)) if (!rules.known.has(key)) return false;
  // What class-validator passes to every rule, read once here rather than per rule (a getter call each).
  const targetName = object.constructor.name;
  for (const property of rules.properties) {
    const value = object[property.name];
    let applies = true;
    for (const condition of property.conditions) applies = (condition.constraints[0] as (o: object, v: unknown) => boolean)(object, value) && applies;
    if (!applies) continue;
    if (!customRulesPass(object, targetName, value, property.custom)) return false;
    if (property.nested.length > 0 && !nestedRulesPass(value, property.nested, forbidUnknown)) return false;
  }
  return true;
}

/** The options this fast path gives the same answer under: the pipe's own (strict whitelist, no groups, nothing skipped). */
function isHandled(options: ValidatorOptions | undefined): boolean {
  return (
    options !== undefined &&
    options.whitelist === true &&
    options.forbidNonWhitelisted === true &&
    !options.skipMissingProperties &&
    !options.skipNullProperties &&
    !options.skipUndefinedProperties &&
    !options.always &&
    !options.strictGroups &&
    !(options.groups && options.groups.length > 0)
  );
}

/**
 * True only when class-validator would find no error in `object` under `options`. False means
 * "ask class-validator": the object may still be valid.
 */
export function passesEveryRule(object: object, options: ValidatorOptions | undefined): boolean {
  if (!isHandled(options) || object === null || typeof object !== 'object') return false;
  return objectPasses(object as Record<string, unknown>, undefined, options!.forbidUnknownValues !== false);
}
