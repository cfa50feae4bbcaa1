// Generated from settingsSchema (settings.ts) by src/core/estate/testing/settings-validator-source.ts
// (`npm run generate:validators`); do not edit. ajv standalone code, checked by settings.test.ts.
// @ts-nocheck
import runtime_ucs2length from "ajv/dist/runtime/ucs2length.js";
export const validate = validate10;
export default validate10;
const schema11 = {"type":"object","additionalProperties":false,"properties":{"$schema":{"type":"string"},"name":{"type":"string"},"prefix":{"type":"string","pattern":"^/"},"environments":{"oneOf":[{"type":"array","items":{"type":"string","pattern":"^[a-z0-9][a-z0-9._-]*$"},"uniqueItems":true},{"type":"object","propertyNames":{"pattern":"^[a-z0-9][a-z0-9._-]*$"},"additionalProperties":{"type":"object","additionalProperties":false,"properties":{"prefix":{"type":"string","pattern":"^/"},"store":{"type":"object","required":["kind"],"oneOf":[{"properties":{"kind":{"const":"sqlite"},"path":{"type":"string","minLength":1}},"additionalProperties":false},{"properties":{"kind":{"const":"ssm"},"region":{"type":"string"},"profile":{"type":"string"},"endpoint":{"type":"string"},"concurrency":{"type":"integer","minimum":1,"maximum":64}},"additionalProperties":false}]}}}}]},"paths":{"type":"object","additionalProperties":false,"properties":{"components":{"type":"string","minLength":1},"types":{"type":"string","minLength":1},"state":{"type":"string","minLength":1}}},"store":{"type":"object","required":["kind"],"oneOf":[{"properties":{"kind":{"const":"sqlite"},"path":{"type":"string","minLength":1}},"additionalProperties":false},{"properties":{"kind":{"const":"ssm"},"region":{"type":"string"},"profile":{"type":"string"},"endpoint":{"type":"string"},"concurrency":{"type":"integer","minimum":1,"maximum":64}},"additionalProperties":false}]},"graph":{"type":"object","required":["kind"],"properties":{"kind":{"enum":["sqlite","gremlin"]},"endpoint":{"type":"string","pattern":"^wss?://[^/]+"},"iam":{"type":"boolean"},"region":{"type":"string","minLength":1},"namespace":{"type":"string","pattern":"^[a-z0-9][a-z0-9._-]*$"},"timeout":{"type":"integer","minimum":1,"maximum":3600}},"additionalProperties":false},"audit":{"type":"object","required":["kind"],"properties":{"kind":{"enum":["sqlite","gremlin"]}},"additionalProperties":false},"types":{"type":"object","propertyNames":{"pattern":"^[a-z0-9][a-z0-9._-]*$"},"additionalProperties":{"type":"object","additionalProperties":false,"properties":{"module":{"type":"string"},"runner":{"enum":["terraform","command"]},"command":{"type":"array","items":{"type":"string"},"minItems":1},"destroyCommand":{"type":"array","items":{"type":"string"},"minItems":1},"timeout":{"type":"integer","minimum":1},"schema":{"type":"string"},"outputs":{"type":"string"},"test":{"type":"array","items":{"type":"string"},"minItems":1}}}},"terraform":{"type":"object","additionalProperties":false,"properties":{"binary":{"type":"string","minLength":1},"lockTimeout":{"type":"string","pattern":"^[0-9]+(ms|s|m|h)$"},"backend":{"type":"object","required":["type"],"additionalProperties":false,"properties":{"type":{"type":"string","pattern":"^[a-z0-9_-]+$"},"config":{"type":"object","additionalProperties":{"type":"string"}}}}}},"policies":{"type":"object","additionalProperties":false,"properties":{"protected":{"type":"array","items":{"oneOf":[{"type":"string","minLength":1},{"type":"object","required":["match"],"additionalProperties":false,"properties":{"match":{"oneOf":[{"type":"string","minLength":1},{"type":"array","items":{"type":"string","minLength":1},"minItems":1}]},"severity":{"enum":["error","warning"]},"reason":{"type":"string"}}}]}},"maxBlastRadius":{"oneOf":[{"type":"integer","minimum":1},{"type":"object","required":["limit"],"additionalProperties":false,"properties":{"limit":{"type":"integer","minimum":1},"severity":{"enum":["error","warning"]}}}]},"crossEnvironmentReferences":{"oneOf":[{"type":"boolean"},{"type":"object","additionalProperties":false,"properties":{"allow":{"type":"array","items":{"type":"string","minLength":1}},"severity":{"enum":["error","warning"]}}}]},"noDestroyWithConsumers":{"oneOf":[{"type":"boolean"},{"type":"object","additionalProperties":false,"properties":{"severity":{"enum":["error","warning"]}}}]},"requiredKeys":{"type":"object","additionalProperties":{"oneOf":[{"type":"array","items":{"type":"string","minLength":1},"minItems":1},{"type":"object","required":["keys"],"additionalProperties":false,"properties":{"keys":{"type":"array","items":{"type":"string","minLength":1},"minItems":1},"severity":{"enum":["error","warning"]}}}]}},"breakingChanges":{"enum":["deny","review"]},"requireSchema":{"oneOf":[{"type":"boolean"},{"type":"array","items":{"type":"string","minLength":1},"minItems":1},{"type":"object","additionalProperties":false,"properties":{"types":{"oneOf":[{"const":"*"},{"type":"array","items":{"type":"string","minLength":1}}]},"severity":{"enum":["error","warning"]}}}]}}}}};
const func2 = Object.prototype.hasOwnProperty;
const func3 = (runtime_ucs2length.default ?? runtime_ucs2length);
const pattern0 = new RegExp("^/", "u");
const pattern1 = new RegExp("^[a-z0-9][a-z0-9._-]*$", "u");
const pattern4 = new RegExp("^wss?://[^/]+", "u");
const pattern7 = new RegExp("^[0-9]+(ms|s|m|h)$", "u");
const pattern8 = new RegExp("^[a-z0-9_-]+$", "u");

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(func2.call(schema11.properties, key0))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.$schema !== undefined){
if(typeof data.$schema !== "string"){
const err1 = {instancePath:instancePath+"/$schema",schemaPath:"#/properties/%24schema/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.name !== undefined){
if(typeof data.name !== "string"){
const err2 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.prefix !== undefined){
let data2 = data.prefix;
if(typeof data2 === "string"){
if(!pattern0.test(data2)){
const err3 = {instancePath:instancePath+"/prefix",schemaPath:"#/properties/prefix/pattern",keyword:"pattern",params:{pattern: "^/"},message:"must match pattern \""+"^/"+"\""};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/prefix",schemaPath:"#/properties/prefix/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.environments !== undefined){
let data3 = data.environments;
const _errs9 = errors;
let valid1 = false;
let passing0 = null;
const _errs10 = errors;
if(Array.isArray(data3)){
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
let data4 = data3[i0];
if(typeof data4 === "string"){
if(!pattern1.test(data4)){
const err5 = {instancePath:instancePath+"/environments/" + i0,schemaPath:"#/properties/environments/oneOf/0/items/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9._-]*$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9._-]*$"+"\""};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/environments/" + i0,schemaPath:"#/properties/environments/oneOf/0/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
let i1 = data3.length;
let j0;
if(i1 > 1){
const indices0 = {};
for(;i1--;){
let item0 = data3[i1];
if(typeof item0 !== "string"){
continue;
}
if(typeof indices0[item0] == "number"){
j0 = indices0[item0];
const err7 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/oneOf/0/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i1+" are identical)"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
break;
}
indices0[item0] = i1;
}
}
}
else {
const err8 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/oneOf/0/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
var _valid0 = _errs10 === errors;
if(_valid0){
valid1 = true;
passing0 = 0;
}
const _errs14 = errors;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
for(const key1 in data3){
const _errs16 = errors;
if(typeof key1 === "string"){
if(!pattern1.test(key1)){
const err9 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/oneOf/1/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9._-]*$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9._-]*$"+"\"",propertyName:key1};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
var valid5 = _errs16 === errors;
if(!valid5){
const err10 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/oneOf/1/propertyNames",keyword:"propertyNames",params:{propertyName: key1},message:"property name must be valid"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
for(const key2 in data3){
let data5 = data3[key2];
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
for(const key3 in data5){
if(!((key3 === "prefix") || (key3 === "store"))){
const err11 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/environments/oneOf/1/additionalProperties/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data5.prefix !== undefined){
let data6 = data5.prefix;
if(typeof data6 === "string"){
if(!pattern0.test(data6)){
const err12 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/prefix",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/prefix/pattern",keyword:"pattern",params:{pattern: "^/"},message:"must match pattern \""+"^/"+"\""};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
else {
const err13 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/prefix",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/prefix/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data5.store !== undefined){
let data7 = data5.store;
const _errs25 = errors;
let valid8 = false;
let passing1 = null;
const _errs26 = errors;
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
for(const key4 in data7){
if(!((key4 === "kind") || (key4 === "path"))){
const err14 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/0/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data7.kind !== undefined){
if("sqlite" !== data7.kind){
const err15 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/kind",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/0/properties/kind/const",keyword:"const",params:{allowedValue: "sqlite"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data7.path !== undefined){
let data9 = data7.path;
if(typeof data9 === "string"){
if(func3(data9) < 1){
const err16 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/path",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/0/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
else {
const err17 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/path",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/0/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
var _valid1 = _errs26 === errors;
if(_valid1){
valid8 = true;
passing1 = 0;
}
const _errs31 = errors;
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
for(const key5 in data7){
if(!(((((key5 === "kind") || (key5 === "region")) || (key5 === "profile")) || (key5 === "endpoint")) || (key5 === "concurrency"))){
const err18 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data7.kind !== undefined){
if("ssm" !== data7.kind){
const err19 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/kind",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/1/properties/kind/const",keyword:"const",params:{allowedValue: "ssm"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data7.region !== undefined){
if(typeof data7.region !== "string"){
const err20 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/region",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/1/properties/region/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data7.profile !== undefined){
if(typeof data7.profile !== "string"){
const err21 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/profile",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/1/properties/profile/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data7.endpoint !== undefined){
if(typeof data7.endpoint !== "string"){
const err22 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/endpoint",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/1/properties/endpoint/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data7.concurrency !== undefined){
let data14 = data7.concurrency;
if(!((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14)))){
const err23 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/concurrency",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/1/properties/concurrency/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
if(typeof data14 == "number"){
if(data14 > 64 || isNaN(data14)){
const err24 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/concurrency",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/1/properties/concurrency/maximum",keyword:"maximum",params:{comparison: "<=", limit: 64},message:"must be <= 64"};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
if(data14 < 1 || isNaN(data14)){
const err25 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store/concurrency",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf/1/properties/concurrency/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
}
}
var _valid1 = _errs31 === errors;
if(_valid1 && valid8){
valid8 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid8 = true;
passing1 = 1;
}
}
if(!valid8){
const err26 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
else {
errors = _errs25;
if(vErrors !== null){
if(_errs25){
vErrors.length = _errs25;
}
else {
vErrors = null;
}
}
}
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
if(data7.kind === undefined){
const err27 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
else {
const err28 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/store",schemaPath:"#/properties/environments/oneOf/1/additionalProperties/properties/store/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
else {
const err29 = {instancePath:instancePath+"/environments/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/environments/oneOf/1/additionalProperties/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
}
else {
const err30 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
var _valid0 = _errs14 === errors;
if(_valid0 && valid1){
valid1 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid1 = true;
passing0 = 1;
}
}
if(!valid1){
const err31 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
else {
errors = _errs9;
if(vErrors !== null){
if(_errs9){
vErrors.length = _errs9;
}
else {
vErrors = null;
}
}
}
}
if(data.paths !== undefined){
let data15 = data.paths;
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
for(const key6 in data15){
if(!(((key6 === "components") || (key6 === "types")) || (key6 === "state"))){
const err32 = {instancePath:instancePath+"/paths",schemaPath:"#/properties/paths/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data15.components !== undefined){
let data16 = data15.components;
if(typeof data16 === "string"){
if(func3(data16) < 1){
const err33 = {instancePath:instancePath+"/paths/components",schemaPath:"#/properties/paths/properties/components/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
else {
const err34 = {instancePath:instancePath+"/paths/components",schemaPath:"#/properties/paths/properties/components/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data15.types !== undefined){
let data17 = data15.types;
if(typeof data17 === "string"){
if(func3(data17) < 1){
const err35 = {instancePath:instancePath+"/paths/types",schemaPath:"#/properties/paths/properties/types/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
else {
const err36 = {instancePath:instancePath+"/paths/types",schemaPath:"#/properties/paths/properties/types/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(data15.state !== undefined){
let data18 = data15.state;
if(typeof data18 === "string"){
if(func3(data18) < 1){
const err37 = {instancePath:instancePath+"/paths/state",schemaPath:"#/properties/paths/properties/state/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
else {
const err38 = {instancePath:instancePath+"/paths/state",schemaPath:"#/properties/paths/properties/state/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
}
else {
const err39 = {instancePath:instancePath+"/paths",schemaPath:"#/properties/paths/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data.store !== undefined){
let data19 = data.store;
const _errs53 = errors;
let valid12 = false;
let passing2 = null;
const _errs54 = errors;
if(data19 && typeof data19 == "object" && !Array.isArray(data19)){
for(const key7 in data19){
if(!((key7 === "kind") || (key7 === "path"))){
const err40 = {instancePath:instancePath+"/store",schemaPath:"#/properties/store/oneOf/0/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data19.kind !== undefined){
if("sqlite" !== data19.kind){
const err41 = {instancePath:instancePath+"/store/kind",schemaPath:"#/properties/store/oneOf/0/properties/kind/const",keyword:"const",params:{allowedValue: "sqlite"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data19.path !== undefined){
let data21 = data19.path;
if(typeof data21 === "string"){
if(func3(data21) < 1){
const err42 = {instancePath:instancePath+"/store/path",schemaPath:"#/properties/store/oneOf/0/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
else {
const err43 = {instancePath:instancePath+"/store/path",schemaPath:"#/properties/store/oneOf/0/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
}
var _valid2 = _errs54 === errors;
if(_valid2){
valid12 = true;
passing2 = 0;
}
const _errs59 = errors;
if(data19 && typeof data19 == "object" && !Array.isArray(data19)){
for(const key8 in data19){
if(!(((((key8 === "kind") || (key8 === "region")) || (key8 === "profile")) || (key8 === "endpoint")) || (key8 === "concurrency"))){
const err44 = {instancePath:instancePath+"/store",schemaPath:"#/properties/store/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data19.kind !== undefined){
if("ssm" !== data19.kind){
const err45 = {instancePath:instancePath+"/store/kind",schemaPath:"#/properties/store/oneOf/1/properties/kind/const",keyword:"const",params:{allowedValue: "ssm"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data19.region !== undefined){
if(typeof data19.region !== "string"){
const err46 = {instancePath:instancePath+"/store/region",schemaPath:"#/properties/store/oneOf/1/properties/region/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
if(data19.profile !== undefined){
if(typeof data19.profile !== "string"){
const err47 = {instancePath:instancePath+"/store/profile",schemaPath:"#/properties/store/oneOf/1/properties/profile/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data19.endpoint !== undefined){
if(typeof data19.endpoint !== "string"){
const err48 = {instancePath:instancePath+"/store/endpoint",schemaPath:"#/properties/store/oneOf/1/properties/endpoint/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
if(data19.concurrency !== undefined){
let data26 = data19.concurrency;
if(!((typeof data26 == "number") && (!(data26 % 1) && !isNaN(data26)))){
const err49 = {instancePath:instancePath+"/store/concurrency",schemaPath:"#/properties/store/oneOf/1/properties/concurrency/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
if(typeof data26 == "number"){
if(data26 > 64 || isNaN(data26)){
const err50 = {instancePath:instancePath+"/store/concurrency",schemaPath:"#/properties/store/oneOf/1/properties/concurrency/maximum",keyword:"maximum",params:{comparison: "<=", limit: 64},message:"must be <= 64"};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
if(data26 < 1 || isNaN(data26)){
const err51 = {instancePath:instancePath+"/store/concurrency",schemaPath:"#/properties/store/oneOf/1/properties/concurrency/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
}
}
var _valid2 = _errs59 === errors;
if(_valid2 && valid12){
valid12 = false;
passing2 = [passing2, 1];
}
else {
if(_valid2){
valid12 = true;
passing2 = 1;
}
}
if(!valid12){
const err52 = {instancePath:instancePath+"/store",schemaPath:"#/properties/store/oneOf",keyword:"oneOf",params:{passingSchemas: passing2},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
else {
errors = _errs53;
if(vErrors !== null){
if(_errs53){
vErrors.length = _errs53;
}
else {
vErrors = null;
}
}
}
if(data19 && typeof data19 == "object" && !Array.isArray(data19)){
if(data19.kind === undefined){
const err53 = {instancePath:instancePath+"/store",schemaPath:"#/properties/store/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
else {
const err54 = {instancePath:instancePath+"/store",schemaPath:"#/properties/store/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
if(data.graph !== undefined){
let data27 = data.graph;
if(data27 && typeof data27 == "object" && !Array.isArray(data27)){
if(data27.kind === undefined){
const err55 = {instancePath:instancePath+"/graph",schemaPath:"#/properties/graph/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
for(const key9 in data27){
if(!((((((key9 === "kind") || (key9 === "endpoint")) || (key9 === "iam")) || (key9 === "region")) || (key9 === "namespace")) || (key9 === "timeout"))){
const err56 = {instancePath:instancePath+"/graph",schemaPath:"#/properties/graph/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
if(data27.kind !== undefined){
let data28 = data27.kind;
if(!((data28 === "sqlite") || (data28 === "gremlin"))){
const err57 = {instancePath:instancePath+"/graph/kind",schemaPath:"#/properties/graph/properties/kind/enum",keyword:"enum",params:{allowedValues: schema11.properties.graph.properties.kind.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
if(data27.endpoint !== undefined){
let data29 = data27.endpoint;
if(typeof data29 === "string"){
if(!pattern4.test(data29)){
const err58 = {instancePath:instancePath+"/graph/endpoint",schemaPath:"#/properties/graph/properties/endpoint/pattern",keyword:"pattern",params:{pattern: "^wss?://[^/]+"},message:"must match pattern \""+"^wss?://[^/]+"+"\""};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
else {
const err59 = {instancePath:instancePath+"/graph/endpoint",schemaPath:"#/properties/graph/properties/endpoint/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
if(data27.iam !== undefined){
if(typeof data27.iam !== "boolean"){
const err60 = {instancePath:instancePath+"/graph/iam",schemaPath:"#/properties/graph/properties/iam/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
if(data27.region !== undefined){
let data31 = data27.region;
if(typeof data31 === "string"){
if(func3(data31) < 1){
const err61 = {instancePath:instancePath+"/graph/region",schemaPath:"#/properties/graph/properties/region/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
else {
const err62 = {instancePath:instancePath+"/graph/region",schemaPath:"#/properties/graph/properties/region/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
if(data27.namespace !== undefined){
let data32 = data27.namespace;
if(typeof data32 === "string"){
if(!pattern1.test(data32)){
const err63 = {instancePath:instancePath+"/graph/namespace",schemaPath:"#/properties/graph/properties/namespace/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9._-]*$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9._-]*$"+"\""};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
else {
const err64 = {instancePath:instancePath+"/graph/namespace",schemaPath:"#/properties/graph/properties/namespace/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
if(data27.timeout !== undefined){
let data33 = data27.timeout;
if(!((typeof data33 == "number") && (!(data33 % 1) && !isNaN(data33)))){
const err65 = {instancePath:instancePath+"/graph/timeout",schemaPath:"#/properties/graph/properties/timeout/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
if(typeof data33 == "number"){
if(data33 > 3600 || isNaN(data33)){
const err66 = {instancePath:instancePath+"/graph/timeout",schemaPath:"#/properties/graph/properties/timeout/maximum",keyword:"maximum",params:{comparison: "<=", limit: 3600},message:"must be <= 3600"};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
if(data33 < 1 || isNaN(data33)){
const err67 = {instancePath:instancePath+"/graph/timeout",schemaPath:"#/properties/graph/properties/timeout/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
}
}
else {
const err68 = {instancePath:instancePath+"/graph",schemaPath:"#/properties/graph/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
if(data.audit !== undefined){
let data34 = data.audit;
if(data34 && typeof data34 == "object" && !Array.isArray(data34)){
if(data34.kind === undefined){
const err69 = {instancePath:instancePath+"/audit",schemaPath:"#/properties/audit/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'"};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
for(const key10 in data34){
if(!(key10 === "kind")){
const err70 = {instancePath:instancePath+"/audit",schemaPath:"#/properties/audit/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
if(data34.kind !== undefined){
let data35 = data34.kind;
if(!((data35 === "sqlite") || (data35 === "gremlin"))){
const err71 = {instancePath:instancePath+"/audit/kind",schemaPath:"#/properties/audit/properties/kind/enum",keyword:"enum",params:{allowedValues: schema11.properties.audit.properties.kind.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
}
else {
const err72 = {instancePath:instancePath+"/audit",schemaPath:"#/properties/audit/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
if(data.types !== undefined){
let data36 = data.types;
if(data36 && typeof data36 == "object" && !Array.isArray(data36)){
for(const key11 in data36){
const _errs90 = errors;
if(typeof key11 === "string"){
if(!pattern1.test(key11)){
const err73 = {instancePath:instancePath+"/types",schemaPath:"#/properties/types/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9._-]*$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9._-]*$"+"\"",propertyName:key11};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
var valid17 = _errs90 === errors;
if(!valid17){
const err74 = {instancePath:instancePath+"/types",schemaPath:"#/properties/types/propertyNames",keyword:"propertyNames",params:{propertyName: key11},message:"property name must be valid"};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
for(const key12 in data36){
let data37 = data36[key12];
if(data37 && typeof data37 == "object" && !Array.isArray(data37)){
for(const key13 in data37){
if(!((((((((key13 === "module") || (key13 === "runner")) || (key13 === "command")) || (key13 === "destroyCommand")) || (key13 === "timeout")) || (key13 === "schema")) || (key13 === "outputs")) || (key13 === "test"))){
const err75 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/types/additionalProperties/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
if(data37.module !== undefined){
if(typeof data37.module !== "string"){
const err76 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/module",schemaPath:"#/properties/types/additionalProperties/properties/module/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
if(data37.runner !== undefined){
let data39 = data37.runner;
if(!((data39 === "terraform") || (data39 === "command"))){
const err77 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/runner",schemaPath:"#/properties/types/additionalProperties/properties/runner/enum",keyword:"enum",params:{allowedValues: schema11.properties.types.additionalProperties.properties.runner.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
if(data37.command !== undefined){
let data40 = data37.command;
if(Array.isArray(data40)){
if(data40.length < 1){
const err78 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/command",schemaPath:"#/properties/types/additionalProperties/properties/command/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
const len1 = data40.length;
for(let i2=0; i2<len1; i2++){
if(typeof data40[i2] !== "string"){
const err79 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/command/" + i2,schemaPath:"#/properties/types/additionalProperties/properties/command/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
}
else {
const err80 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/command",schemaPath:"#/properties/types/additionalProperties/properties/command/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
if(data37.destroyCommand !== undefined){
let data42 = data37.destroyCommand;
if(Array.isArray(data42)){
if(data42.length < 1){
const err81 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/destroyCommand",schemaPath:"#/properties/types/additionalProperties/properties/destroyCommand/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
const len2 = data42.length;
for(let i3=0; i3<len2; i3++){
if(typeof data42[i3] !== "string"){
const err82 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/destroyCommand/" + i3,schemaPath:"#/properties/types/additionalProperties/properties/destroyCommand/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
}
}
else {
const err83 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/destroyCommand",schemaPath:"#/properties/types/additionalProperties/properties/destroyCommand/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
if(data37.timeout !== undefined){
let data44 = data37.timeout;
if(!((typeof data44 == "number") && (!(data44 % 1) && !isNaN(data44)))){
const err84 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/timeout",schemaPath:"#/properties/types/additionalProperties/properties/timeout/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
if(typeof data44 == "number"){
if(data44 < 1 || isNaN(data44)){
const err85 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/timeout",schemaPath:"#/properties/types/additionalProperties/properties/timeout/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
}
if(data37.schema !== undefined){
if(typeof data37.schema !== "string"){
const err86 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/schema",schemaPath:"#/properties/types/additionalProperties/properties/schema/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
if(data37.outputs !== undefined){
if(typeof data37.outputs !== "string"){
const err87 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/outputs",schemaPath:"#/properties/types/additionalProperties/properties/outputs/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
}
if(data37.test !== undefined){
let data47 = data37.test;
if(Array.isArray(data47)){
if(data47.length < 1){
const err88 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/test",schemaPath:"#/properties/types/additionalProperties/properties/test/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
const len3 = data47.length;
for(let i4=0; i4<len3; i4++){
if(typeof data47[i4] !== "string"){
const err89 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/test/" + i4,schemaPath:"#/properties/types/additionalProperties/properties/test/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
}
else {
const err90 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/test",schemaPath:"#/properties/types/additionalProperties/properties/test/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
}
else {
const err91 = {instancePath:instancePath+"/types/" + key12.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/types/additionalProperties/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
}
else {
const err92 = {instancePath:instancePath+"/types",schemaPath:"#/properties/types/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
if(data.terraform !== undefined){
let data49 = data.terraform;
if(data49 && typeof data49 == "object" && !Array.isArray(data49)){
for(const key14 in data49){
if(!(((key14 === "binary") || (key14 === "lockTimeout")) || (key14 === "backend"))){
const err93 = {instancePath:instancePath+"/terraform",schemaPath:"#/properties/terraform/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key14},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
if(data49.binary !== undefined){
let data50 = data49.binary;
if(typeof data50 === "string"){
if(func3(data50) < 1){
const err94 = {instancePath:instancePath+"/terraform/binary",schemaPath:"#/properties/terraform/properties/binary/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
}
else {
const err95 = {instancePath:instancePath+"/terraform/binary",schemaPath:"#/properties/terraform/properties/binary/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
if(data49.lockTimeout !== undefined){
let data51 = data49.lockTimeout;
if(typeof data51 === "string"){
if(!pattern7.test(data51)){
const err96 = {instancePath:instancePath+"/terraform/lockTimeout",schemaPath:"#/properties/terraform/properties/lockTimeout/pattern",keyword:"pattern",params:{pattern: "^[0-9]+(ms|s|m|h)$"},message:"must match pattern \""+"^[0-9]+(ms|s|m|h)$"+"\""};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
else {
const err97 = {instancePath:instancePath+"/terraform/lockTimeout",schemaPath:"#/properties/terraform/properties/lockTimeout/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
if(data49.backend !== undefined){
let data52 = data49.backend;
if(data52 && typeof data52 == "object" && !Array.isArray(data52)){
if(data52.type === undefined){
const err98 = {instancePath:instancePath+"/terraform/backend",schemaPath:"#/properties/terraform/properties/backend/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'"};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
for(const key15 in data52){
if(!((key15 === "type") || (key15 === "config"))){
const err99 = {instancePath:instancePath+"/terraform/backend",schemaPath:"#/properties/terraform/properties/backend/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key15},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
if(data52.type !== undefined){
let data53 = data52.type;
if(typeof data53 === "string"){
if(!pattern8.test(data53)){
const err100 = {instancePath:instancePath+"/terraform/backend/type",schemaPath:"#/properties/terraform/properties/backend/properties/type/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9_-]+$"},message:"must match pattern \""+"^[a-z0-9_-]+$"+"\""};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
}
else {
const err101 = {instancePath:instancePath+"/terraform/backend/type",schemaPath:"#/properties/terraform/properties/backend/properties/type/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
}
if(data52.config !== undefined){
let data54 = data52.config;
if(data54 && typeof data54 == "object" && !Array.isArray(data54)){
for(const key16 in data54){
if(typeof data54[key16] !== "string"){
const err102 = {instancePath:instancePath+"/terraform/backend/config/" + key16.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/terraform/properties/backend/properties/config/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
}
}
else {
const err103 = {instancePath:instancePath+"/terraform/backend/config",schemaPath:"#/properties/terraform/properties/backend/properties/config/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
}
}
else {
const err104 = {instancePath:instancePath+"/terraform/backend",schemaPath:"#/properties/terraform/properties/backend/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
}
else {
const err105 = {instancePath:instancePath+"/terraform",schemaPath:"#/properties/terraform/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
}
if(data.policies !== undefined){
let data56 = data.policies;
if(data56 && typeof data56 == "object" && !Array.isArray(data56)){
for(const key17 in data56){
if(!(((((((key17 === "protected") || (key17 === "maxBlastRadius")) || (key17 === "crossEnvironmentReferences")) || (key17 === "noDestroyWithConsumers")) || (key17 === "requiredKeys")) || (key17 === "breakingChanges")) || (key17 === "requireSchema"))){
const err106 = {instancePath:instancePath+"/policies",schemaPath:"#/properties/policies/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key17},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
}
if(data56.protected !== undefined){
let data57 = data56.protected;
if(Array.isArray(data57)){
const len4 = data57.length;
for(let i5=0; i5<len4; i5++){
let data58 = data57[i5];
const _errs139 = errors;
let valid32 = false;
let passing3 = null;
const _errs140 = errors;
if(typeof data58 === "string"){
if(func3(data58) < 1){
const err107 = {instancePath:instancePath+"/policies/protected/" + i5,schemaPath:"#/properties/policies/properties/protected/items/oneOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
}
else {
const err108 = {instancePath:instancePath+"/policies/protected/" + i5,schemaPath:"#/properties/policies/properties/protected/items/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
var _valid3 = _errs140 === errors;
if(_valid3){
valid32 = true;
passing3 = 0;
}
const _errs142 = errors;
if(data58 && typeof data58 == "object" && !Array.isArray(data58)){
if(data58.match === undefined){
const err109 = {instancePath:instancePath+"/policies/protected/" + i5,schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/required",keyword:"required",params:{missingProperty: "match"},message:"must have required property '"+"match"+"'"};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
for(const key18 in data58){
if(!(((key18 === "match") || (key18 === "severity")) || (key18 === "reason"))){
const err110 = {instancePath:instancePath+"/policies/protected/" + i5,schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key18},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
}
if(data58.match !== undefined){
let data59 = data58.match;
const _errs146 = errors;
let valid34 = false;
let passing4 = null;
const _errs147 = errors;
if(typeof data59 === "string"){
if(func3(data59) < 1){
const err111 = {instancePath:instancePath+"/policies/protected/" + i5+"/match",schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/properties/match/oneOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
}
else {
const err112 = {instancePath:instancePath+"/policies/protected/" + i5+"/match",schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/properties/match/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
var _valid4 = _errs147 === errors;
if(_valid4){
valid34 = true;
passing4 = 0;
}
const _errs149 = errors;
if(Array.isArray(data59)){
if(data59.length < 1){
const err113 = {instancePath:instancePath+"/policies/protected/" + i5+"/match",schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/properties/match/oneOf/1/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
const len5 = data59.length;
for(let i6=0; i6<len5; i6++){
let data60 = data59[i6];
if(typeof data60 === "string"){
if(func3(data60) < 1){
const err114 = {instancePath:instancePath+"/policies/protected/" + i5+"/match/" + i6,schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/properties/match/oneOf/1/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
}
else {
const err115 = {instancePath:instancePath+"/policies/protected/" + i5+"/match/" + i6,schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/properties/match/oneOf/1/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
}
}
else {
const err116 = {instancePath:instancePath+"/policies/protected/" + i5+"/match",schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/properties/match/oneOf/1/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
var _valid4 = _errs149 === errors;
if(_valid4 && valid34){
valid34 = false;
passing4 = [passing4, 1];
}
else {
if(_valid4){
valid34 = true;
passing4 = 1;
}
}
if(!valid34){
const err117 = {instancePath:instancePath+"/policies/protected/" + i5+"/match",schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/properties/match/oneOf",keyword:"oneOf",params:{passingSchemas: passing4},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
else {
errors = _errs146;
if(vErrors !== null){
if(_errs146){
vErrors.length = _errs146;
}
else {
vErrors = null;
}
}
}
}
if(data58.severity !== undefined){
let data61 = data58.severity;
if(!((data61 === "error") || (data61 === "warning"))){
const err118 = {instancePath:instancePath+"/policies/protected/" + i5+"/severity",schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/properties/severity/enum",keyword:"enum",params:{allowedValues: schema11.properties.policies.properties.protected.items.oneOf[1].properties.severity.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err118];
}
else {
vErrors.push(err118);
}
errors++;
}
}
if(data58.reason !== undefined){
if(typeof data58.reason !== "string"){
const err119 = {instancePath:instancePath+"/policies/protected/" + i5+"/reason",schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/properties/reason/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err119];
}
else {
vErrors.push(err119);
}
errors++;
}
}
}
else {
const err120 = {instancePath:instancePath+"/policies/protected/" + i5,schemaPath:"#/properties/policies/properties/protected/items/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err120];
}
else {
vErrors.push(err120);
}
errors++;
}
var _valid3 = _errs142 === errors;
if(_valid3 && valid32){
valid32 = false;
passing3 = [passing3, 1];
}
else {
if(_valid3){
valid32 = true;
passing3 = 1;
}
}
if(!valid32){
const err121 = {instancePath:instancePath+"/policies/protected/" + i5,schemaPath:"#/properties/policies/properties/protected/items/oneOf",keyword:"oneOf",params:{passingSchemas: passing3},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err121];
}
else {
vErrors.push(err121);
}
errors++;
}
else {
errors = _errs139;
if(vErrors !== null){
if(_errs139){
vErrors.length = _errs139;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err122 = {instancePath:instancePath+"/policies/protected",schemaPath:"#/properties/policies/properties/protected/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err122];
}
else {
vErrors.push(err122);
}
errors++;
}
}
if(data56.maxBlastRadius !== undefined){
let data63 = data56.maxBlastRadius;
const _errs157 = errors;
let valid37 = false;
let passing5 = null;
const _errs158 = errors;
if(!((typeof data63 == "number") && (!(data63 % 1) && !isNaN(data63)))){
const err123 = {instancePath:instancePath+"/policies/maxBlastRadius",schemaPath:"#/properties/policies/properties/maxBlastRadius/oneOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err123];
}
else {
vErrors.push(err123);
}
errors++;
}
if(typeof data63 == "number"){
if(data63 < 1 || isNaN(data63)){
const err124 = {instancePath:instancePath+"/policies/maxBlastRadius",schemaPath:"#/properties/policies/properties/maxBlastRadius/oneOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err124];
}
else {
vErrors.push(err124);
}
errors++;
}
}
var _valid5 = _errs158 === errors;
if(_valid5){
valid37 = true;
passing5 = 0;
}
const _errs160 = errors;
if(data63 && typeof data63 == "object" && !Array.isArray(data63)){
if(data63.limit === undefined){
const err125 = {instancePath:instancePath+"/policies/maxBlastRadius",schemaPath:"#/properties/policies/properties/maxBlastRadius/oneOf/1/required",keyword:"required",params:{missingProperty: "limit"},message:"must have required property '"+"limit"+"'"};
if(vErrors === null){
vErrors = [err125];
}
else {
vErrors.push(err125);
}
errors++;
}
for(const key19 in data63){
if(!((key19 === "limit") || (key19 === "severity"))){
const err126 = {instancePath:instancePath+"/policies/maxBlastRadius",schemaPath:"#/properties/policies/properties/maxBlastRadius/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key19},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err126];
}
else {
vErrors.push(err126);
}
errors++;
}
}
if(data63.limit !== undefined){
let data64 = data63.limit;
if(!((typeof data64 == "number") && (!(data64 % 1) && !isNaN(data64)))){
const err127 = {instancePath:instancePath+"/policies/maxBlastRadius/limit",schemaPath:"#/properties/policies/properties/maxBlastRadius/oneOf/1/properties/limit/type",keyword:"type",params:{type: "integer"},message:"must be integer"};
if(vErrors === null){
vErrors = [err127];
}
else {
vErrors.push(err127);
}
errors++;
}
if(typeof data64 == "number"){
if(data64 < 1 || isNaN(data64)){
const err128 = {instancePath:instancePath+"/policies/maxBlastRadius/limit",schemaPath:"#/properties/policies/properties/maxBlastRadius/oneOf/1/properties/limit/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"};
if(vErrors === null){
vErrors = [err128];
}
else {
vErrors.push(err128);
}
errors++;
}
}
}
if(data63.severity !== undefined){
let data65 = data63.severity;
if(!((data65 === "error") || (data65 === "warning"))){
const err129 = {instancePath:instancePath+"/policies/maxBlastRadius/severity",schemaPath:"#/properties/policies/properties/maxBlastRadius/oneOf/1/properties/severity/enum",keyword:"enum",params:{allowedValues: schema11.properties.policies.properties.maxBlastRadius.oneOf[1].properties.severity.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err129];
}
else {
vErrors.push(err129);
}
errors++;
}
}
}
else {
const err130 = {instancePath:instancePath+"/policies/maxBlastRadius",schemaPath:"#/properties/policies/properties/maxBlastRadius/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err130];
}
else {
vErrors.push(err130);
}
errors++;
}
var _valid5 = _errs160 === errors;
if(_valid5 && valid37){
valid37 = false;
passing5 = [passing5, 1];
}
else {
if(_valid5){
valid37 = true;
passing5 = 1;
}
}
if(!valid37){
const err131 = {instancePath:instancePath+"/policies/maxBlastRadius",schemaPath:"#/properties/policies/properties/maxBlastRadius/oneOf",keyword:"oneOf",params:{passingSchemas: passing5},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err131];
}
else {
vErrors.push(err131);
}
errors++;
}
else {
errors = _errs157;
if(vErrors !== null){
if(_errs157){
vErrors.length = _errs157;
}
else {
vErrors = null;
}
}
}
}
if(data56.crossEnvironmentReferences !== undefined){
let data66 = data56.crossEnvironmentReferences;
const _errs167 = errors;
let valid39 = false;
let passing6 = null;
const _errs168 = errors;
if(typeof data66 !== "boolean"){
const err132 = {instancePath:instancePath+"/policies/crossEnvironmentReferences",schemaPath:"#/properties/policies/properties/crossEnvironmentReferences/oneOf/0/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err132];
}
else {
vErrors.push(err132);
}
errors++;
}
var _valid6 = _errs168 === errors;
if(_valid6){
valid39 = true;
passing6 = 0;
}
const _errs170 = errors;
if(data66 && typeof data66 == "object" && !Array.isArray(data66)){
for(const key20 in data66){
if(!((key20 === "allow") || (key20 === "severity"))){
const err133 = {instancePath:instancePath+"/policies/crossEnvironmentReferences",schemaPath:"#/properties/policies/properties/crossEnvironmentReferences/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key20},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err133];
}
else {
vErrors.push(err133);
}
errors++;
}
}
if(data66.allow !== undefined){
let data67 = data66.allow;
if(Array.isArray(data67)){
const len6 = data67.length;
for(let i7=0; i7<len6; i7++){
let data68 = data67[i7];
if(typeof data68 === "string"){
if(func3(data68) < 1){
const err134 = {instancePath:instancePath+"/policies/crossEnvironmentReferences/allow/" + i7,schemaPath:"#/properties/policies/properties/crossEnvironmentReferences/oneOf/1/properties/allow/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err134];
}
else {
vErrors.push(err134);
}
errors++;
}
}
else {
const err135 = {instancePath:instancePath+"/policies/crossEnvironmentReferences/allow/" + i7,schemaPath:"#/properties/policies/properties/crossEnvironmentReferences/oneOf/1/properties/allow/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err135];
}
else {
vErrors.push(err135);
}
errors++;
}
}
}
else {
const err136 = {instancePath:instancePath+"/policies/crossEnvironmentReferences/allow",schemaPath:"#/properties/policies/properties/crossEnvironmentReferences/oneOf/1/properties/allow/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err136];
}
else {
vErrors.push(err136);
}
errors++;
}
}
if(data66.severity !== undefined){
let data69 = data66.severity;
if(!((data69 === "error") || (data69 === "warning"))){
const err137 = {instancePath:instancePath+"/policies/crossEnvironmentReferences/severity",schemaPath:"#/properties/policies/properties/crossEnvironmentReferences/oneOf/1/properties/severity/enum",keyword:"enum",params:{allowedValues: schema11.properties.policies.properties.crossEnvironmentReferences.oneOf[1].properties.severity.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err137];
}
else {
vErrors.push(err137);
}
errors++;
}
}
}
else {
const err138 = {instancePath:instancePath+"/policies/crossEnvironmentReferences",schemaPath:"#/properties/policies/properties/crossEnvironmentReferences/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err138];
}
else {
vErrors.push(err138);
}
errors++;
}
var _valid6 = _errs170 === errors;
if(_valid6 && valid39){
valid39 = false;
passing6 = [passing6, 1];
}
else {
if(_valid6){
valid39 = true;
passing6 = 1;
}
}
if(!valid39){
const err139 = {instancePath:instancePath+"/policies/crossEnvironmentReferences",schemaPath:"#/properties/policies/properties/crossEnvironmentReferences/oneOf",keyword:"oneOf",params:{passingSchemas: passing6},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err139];
}
else {
vErrors.push(err139);
}
errors++;
}
else {
errors = _errs167;
if(vErrors !== null){
if(_errs167){
vErrors.length = _errs167;
}
else {
vErrors = null;
}
}
}
}
if(data56.noDestroyWithConsumers !== undefined){
let data70 = data56.noDestroyWithConsumers;
const _errs179 = errors;
let valid43 = false;
let passing7 = null;
const _errs180 = errors;
if(typeof data70 !== "boolean"){
const err140 = {instancePath:instancePath+"/policies/noDestroyWithConsumers",schemaPath:"#/properties/policies/properties/noDestroyWithConsumers/oneOf/0/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err140];
}
else {
vErrors.push(err140);
}
errors++;
}
var _valid7 = _errs180 === errors;
if(_valid7){
valid43 = true;
passing7 = 0;
}
const _errs182 = errors;
if(data70 && typeof data70 == "object" && !Array.isArray(data70)){
for(const key21 in data70){
if(!(key21 === "severity")){
const err141 = {instancePath:instancePath+"/policies/noDestroyWithConsumers",schemaPath:"#/properties/policies/properties/noDestroyWithConsumers/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key21},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err141];
}
else {
vErrors.push(err141);
}
errors++;
}
}
if(data70.severity !== undefined){
let data71 = data70.severity;
if(!((data71 === "error") || (data71 === "warning"))){
const err142 = {instancePath:instancePath+"/policies/noDestroyWithConsumers/severity",schemaPath:"#/properties/policies/properties/noDestroyWithConsumers/oneOf/1/properties/severity/enum",keyword:"enum",params:{allowedValues: schema11.properties.policies.properties.noDestroyWithConsumers.oneOf[1].properties.severity.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err142];
}
else {
vErrors.push(err142);
}
errors++;
}
}
}
else {
const err143 = {instancePath:instancePath+"/policies/noDestroyWithConsumers",schemaPath:"#/properties/policies/properties/noDestroyWithConsumers/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err143];
}
else {
vErrors.push(err143);
}
errors++;
}
var _valid7 = _errs182 === errors;
if(_valid7 && valid43){
valid43 = false;
passing7 = [passing7, 1];
}
else {
if(_valid7){
valid43 = true;
passing7 = 1;
}
}
if(!valid43){
const err144 = {instancePath:instancePath+"/policies/noDestroyWithConsumers",schemaPath:"#/properties/policies/properties/noDestroyWithConsumers/oneOf",keyword:"oneOf",params:{passingSchemas: passing7},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err144];
}
else {
vErrors.push(err144);
}
errors++;
}
else {
errors = _errs179;
if(vErrors !== null){
if(_errs179){
vErrors.length = _errs179;
}
else {
vErrors = null;
}
}
}
}
if(data56.requiredKeys !== undefined){
let data72 = data56.requiredKeys;
if(data72 && typeof data72 == "object" && !Array.isArray(data72)){
for(const key22 in data72){
let data73 = data72[key22];
const _errs190 = errors;
let valid46 = false;
let passing8 = null;
const _errs191 = errors;
if(Array.isArray(data73)){
if(data73.length < 1){
const err145 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/0/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err145];
}
else {
vErrors.push(err145);
}
errors++;
}
const len7 = data73.length;
for(let i8=0; i8<len7; i8++){
let data74 = data73[i8];
if(typeof data74 === "string"){
if(func3(data74) < 1){
const err146 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i8,schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/0/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err146];
}
else {
vErrors.push(err146);
}
errors++;
}
}
else {
const err147 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i8,schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/0/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err147];
}
else {
vErrors.push(err147);
}
errors++;
}
}
}
else {
const err148 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/0/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err148];
}
else {
vErrors.push(err148);
}
errors++;
}
var _valid8 = _errs191 === errors;
if(_valid8){
valid46 = true;
passing8 = 0;
}
const _errs195 = errors;
if(data73 && typeof data73 == "object" && !Array.isArray(data73)){
if(data73.keys === undefined){
const err149 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/1/required",keyword:"required",params:{missingProperty: "keys"},message:"must have required property '"+"keys"+"'"};
if(vErrors === null){
vErrors = [err149];
}
else {
vErrors.push(err149);
}
errors++;
}
for(const key23 in data73){
if(!((key23 === "keys") || (key23 === "severity"))){
const err150 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key23},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err150];
}
else {
vErrors.push(err150);
}
errors++;
}
}
if(data73.keys !== undefined){
let data75 = data73.keys;
if(Array.isArray(data75)){
if(data75.length < 1){
const err151 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1")+"/keys",schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/1/properties/keys/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err151];
}
else {
vErrors.push(err151);
}
errors++;
}
const len8 = data75.length;
for(let i9=0; i9<len8; i9++){
let data76 = data75[i9];
if(typeof data76 === "string"){
if(func3(data76) < 1){
const err152 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1")+"/keys/" + i9,schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/1/properties/keys/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err152];
}
else {
vErrors.push(err152);
}
errors++;
}
}
else {
const err153 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1")+"/keys/" + i9,schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/1/properties/keys/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err153];
}
else {
vErrors.push(err153);
}
errors++;
}
}
}
else {
const err154 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1")+"/keys",schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/1/properties/keys/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err154];
}
else {
vErrors.push(err154);
}
errors++;
}
}
if(data73.severity !== undefined){
let data77 = data73.severity;
if(!((data77 === "error") || (data77 === "warning"))){
const err155 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1")+"/severity",schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/1/properties/severity/enum",keyword:"enum",params:{allowedValues: schema11.properties.policies.properties.requiredKeys.additionalProperties.oneOf[1].properties.severity.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err155];
}
else {
vErrors.push(err155);
}
errors++;
}
}
}
else {
const err156 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err156];
}
else {
vErrors.push(err156);
}
errors++;
}
var _valid8 = _errs195 === errors;
if(_valid8 && valid46){
valid46 = false;
passing8 = [passing8, 1];
}
else {
if(_valid8){
valid46 = true;
passing8 = 1;
}
}
if(!valid46){
const err157 = {instancePath:instancePath+"/policies/requiredKeys/" + key22.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/policies/properties/requiredKeys/additionalProperties/oneOf",keyword:"oneOf",params:{passingSchemas: passing8},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err157];
}
else {
vErrors.push(err157);
}
errors++;
}
else {
errors = _errs190;
if(vErrors !== null){
if(_errs190){
vErrors.length = _errs190;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err158 = {instancePath:instancePath+"/policies/requiredKeys",schemaPath:"#/properties/policies/properties/requiredKeys/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err158];
}
else {
vErrors.push(err158);
}
errors++;
}
}
if(data56.breakingChanges !== undefined){
let data78 = data56.breakingChanges;
if(!((data78 === "deny") || (data78 === "review"))){
const err159 = {instancePath:instancePath+"/policies/breakingChanges",schemaPath:"#/properties/policies/properties/breakingChanges/enum",keyword:"enum",params:{allowedValues: schema11.properties.policies.properties.breakingChanges.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err159];
}
else {
vErrors.push(err159);
}
errors++;
}
}
if(data56.requireSchema !== undefined){
let data79 = data56.requireSchema;
const _errs205 = errors;
let valid52 = false;
let passing9 = null;
const _errs206 = errors;
if(typeof data79 !== "boolean"){
const err160 = {instancePath:instancePath+"/policies/requireSchema",schemaPath:"#/properties/policies/properties/requireSchema/oneOf/0/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"};
if(vErrors === null){
vErrors = [err160];
}
else {
vErrors.push(err160);
}
errors++;
}
var _valid9 = _errs206 === errors;
if(_valid9){
valid52 = true;
passing9 = 0;
}
const _errs208 = errors;
if(Array.isArray(data79)){
if(data79.length < 1){
const err161 = {instancePath:instancePath+"/policies/requireSchema",schemaPath:"#/properties/policies/properties/requireSchema/oneOf/1/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"};
if(vErrors === null){
vErrors = [err161];
}
else {
vErrors.push(err161);
}
errors++;
}
const len9 = data79.length;
for(let i10=0; i10<len9; i10++){
let data80 = data79[i10];
if(typeof data80 === "string"){
if(func3(data80) < 1){
const err162 = {instancePath:instancePath+"/policies/requireSchema/" + i10,schemaPath:"#/properties/policies/properties/requireSchema/oneOf/1/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err162];
}
else {
vErrors.push(err162);
}
errors++;
}
}
else {
const err163 = {instancePath:instancePath+"/policies/requireSchema/" + i10,schemaPath:"#/properties/policies/properties/requireSchema/oneOf/1/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err163];
}
else {
vErrors.push(err163);
}
errors++;
}
}
}
else {
const err164 = {instancePath:instancePath+"/policies/requireSchema",schemaPath:"#/properties/policies/properties/requireSchema/oneOf/1/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err164];
}
else {
vErrors.push(err164);
}
errors++;
}
var _valid9 = _errs208 === errors;
if(_valid9 && valid52){
valid52 = false;
passing9 = [passing9, 1];
}
else {
if(_valid9){
valid52 = true;
passing9 = 1;
}
const _errs212 = errors;
if(data79 && typeof data79 == "object" && !Array.isArray(data79)){
for(const key24 in data79){
if(!((key24 === "types") || (key24 === "severity"))){
const err165 = {instancePath:instancePath+"/policies/requireSchema",schemaPath:"#/properties/policies/properties/requireSchema/oneOf/2/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key24},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err165];
}
else {
vErrors.push(err165);
}
errors++;
}
}
if(data79.types !== undefined){
let data81 = data79.types;
const _errs216 = errors;
let valid56 = false;
let passing10 = null;
const _errs217 = errors;
if("*" !== data81){
const err166 = {instancePath:instancePath+"/policies/requireSchema/types",schemaPath:"#/properties/policies/properties/requireSchema/oneOf/2/properties/types/oneOf/0/const",keyword:"const",params:{allowedValue: "*"},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err166];
}
else {
vErrors.push(err166);
}
errors++;
}
var _valid10 = _errs217 === errors;
if(_valid10){
valid56 = true;
passing10 = 0;
}
const _errs218 = errors;
if(Array.isArray(data81)){
const len10 = data81.length;
for(let i11=0; i11<len10; i11++){
let data82 = data81[i11];
if(typeof data82 === "string"){
if(func3(data82) < 1){
const err167 = {instancePath:instancePath+"/policies/requireSchema/types/" + i11,schemaPath:"#/properties/policies/properties/requireSchema/oneOf/2/properties/types/oneOf/1/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"};
if(vErrors === null){
vErrors = [err167];
}
else {
vErrors.push(err167);
}
errors++;
}
}
else {
const err168 = {instancePath:instancePath+"/policies/requireSchema/types/" + i11,schemaPath:"#/properties/policies/properties/requireSchema/oneOf/2/properties/types/oneOf/1/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err168];
}
else {
vErrors.push(err168);
}
errors++;
}
}
}
else {
const err169 = {instancePath:instancePath+"/policies/requireSchema/types",schemaPath:"#/properties/policies/properties/requireSchema/oneOf/2/properties/types/oneOf/1/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err169];
}
else {
vErrors.push(err169);
}
errors++;
}
var _valid10 = _errs218 === errors;
if(_valid10 && valid56){
valid56 = false;
passing10 = [passing10, 1];
}
else {
if(_valid10){
valid56 = true;
passing10 = 1;
}
}
if(!valid56){
const err170 = {instancePath:instancePath+"/policies/requireSchema/types",schemaPath:"#/properties/policies/properties/requireSchema/oneOf/2/properties/types/oneOf",keyword:"oneOf",params:{passingSchemas: passing10},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err170];
}
else {
vErrors.push(err170);
}
errors++;
}
else {
errors = _errs216;
if(vErrors !== null){
if(_errs216){
vErrors.length = _errs216;
}
else {
vErrors = null;
}
}
}
}
if(data79.severity !== undefined){
let data83 = data79.severity;
if(!((data83 === "error") || (data83 === "warning"))){
const err171 = {instancePath:instancePath+"/policies/requireSchema/severity",schemaPath:"#/properties/policies/properties/requireSchema/oneOf/2/properties/severity/enum",keyword:"enum",params:{allowedValues: schema11.properties.policies.properties.requireSchema.oneOf[2].properties.severity.enum},message:"must be equal to one of the allowed values"};
if(vErrors === null){
vErrors = [err171];
}
else {
vErrors.push(err171);
}
errors++;
}
}
}
else {
const err172 = {instancePath:instancePath+"/policies/requireSchema",schemaPath:"#/properties/policies/properties/requireSchema/oneOf/2/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err172];
}
else {
vErrors.push(err172);
}
errors++;
}
var _valid9 = _errs212 === errors;
if(_valid9 && valid52){
valid52 = false;
passing9 = [passing9, 2];
}
else {
if(_valid9){
valid52 = true;
passing9 = 2;
}
}
}
if(!valid52){
const err173 = {instancePath:instancePath+"/policies/requireSchema",schemaPath:"#/properties/policies/properties/requireSchema/oneOf",keyword:"oneOf",params:{passingSchemas: passing9},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err173];
}
else {
vErrors.push(err173);
}
errors++;
}
else {
errors = _errs205;
if(vErrors !== null){
if(_errs205){
vErrors.length = _errs205;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err174 = {instancePath:instancePath+"/policies",schemaPath:"#/properties/policies/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err174];
}
else {
vErrors.push(err174);
}
errors++;
}
}
}
else {
const err175 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err175];
}
else {
vErrors.push(err175);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

