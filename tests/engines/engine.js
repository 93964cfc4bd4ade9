// A small autograd engine in JavaScript that speaks chainrule's engine protocol
// (README, "Checking your own engine"): one JSON object per line on stdin and stdout.
// `node engine.js --bug mul` plants a wrong rule: d(xy)/dy written as y; `--bug hoard`
// makes tanh of a negative number allocate without end.
"use strict";
const readline = require("readline");
const bug = process.argv.includes("--bug") ? process.argv[process.argv.indexOf("--bug") + 1] : null;

class Value {
  constructor(data, parents = [], locals = []) {
    this.data = data; this.grad = 0; this.parents = parents; this.locals = locals;
  }
}

const lift = (x) => (x instanceof Value ? x : new Value(x));
const OPS = {
  add: (x, y) => new Value(x.data + y.data, [x, y], [1, 1]),
  sub: (x, y) => new Value(x.data - y.data, [x, y], [1, -1]),
  mul: (x, y) => new Value(x.data * y.data, [x, y], [y.data, bug === "mul" ? y.data : x.data]),
  div: (x, y) => new Value(x.data / y.data, [x, y], [1 / y.data, -x.data / (y.data * y.data)]),
  neg: (x) => new Value(-x.data, [x], [-1]),
  pow: (x, k) => new Value(x.data ** k.data, [x], [k.data * x.data ** (k.data - 1)]),
  tanh: (x) => {
    if (bug === "hoard" && x.data < 0) {  // allocates without end: chainrule's cap stops it
      const hoard = [];
      for (;;) hoard.push(Buffer.alloc(10_000_000, 1));
    }
    const t = Math.tanh(x.data);
    return new Value(t, [x], [1 - t * t]);
  },
  exp: (x) => { const e = Math.exp(x.data); return new Value(e, [x], [e]); },
  relu: (x) => new Value(Math.max(0, x.data), [x], [x.data > 0 ? 1 : 0]),
};

function backward(output) {
  // a topological order with a stack: each node after the nodes it is made from
  const order = [], seen = new Set([output]), stack = [[output, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top[1] < top[0].parents.length) {
      const parent = top[0].parents[top[1]++];
      if (!seen.has(parent)) { seen.add(parent); stack.push([parent, 0]); }
    } else { order.push(stack.pop()[0]); }
  }
  output.grad = 1;
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    node.parents.forEach((p, j) => { p.grad += node.grad * node.locals[j]; });
  }
}

function run(program, times) {
  const nodes = program.inputs.map((x) => new Value(x));
  for (const [op, ...args] of program.steps) {
    nodes.push(OPS[op](...args.map((a) => (typeof a === "object" ? lift(a.const) : nodes[a]))));
  }
  for (let i = 0; i < times; i++) backward(nodes[nodes.length - 1]);
  return { data: nodes.map((n) => n.data), grad: nodes.map((n) => n.grad) };
}

const both = ["vv", "vc", "cv"];
console.log(JSON.stringify({
  engine: bug ? `engine.js --bug ${bug}` : "engine.js",
  ops: { add: both, sub: both, mul: both, div: both, neg: ["v"], pow: ["vc"], tanh: ["v"],
         exp: ["v"], relu: ["v"] },
}));
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line);
  try {
    console.log(JSON.stringify(run(request.program, request.backward || 1)));
  } catch (error) {
    console.log(JSON.stringify({ error: String(error) }));
  }
});
