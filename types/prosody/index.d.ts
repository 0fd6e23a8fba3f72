/// <reference path="./module.d.ts" />
/// <reference path="./muc.d.ts" />
/// <reference path="./session.d.ts" />
/// <reference path="./net.http.d.ts" />
/// <reference path="./util.d.ts" />
/// <reference path="./net.d.ts" />
/// <reference path="./storage.d.ts" />
