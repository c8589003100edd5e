/* start.js: the last script of the page: every page is registered
 * (owner.js, cab.js, manager.js), so the router may start. */
"use strict";
HW.start();
