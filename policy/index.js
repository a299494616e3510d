// The policy pack's entry point, as the CLI starts it from this directory: the compiled pack.
require("../dist/provider/policy/pack");
