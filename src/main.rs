fn main() { std::process::exit(ripple_cli::main()) }
