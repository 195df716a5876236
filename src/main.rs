fn main() {
    std::process::exit(ripple_cli::run(&ripple::DefaultToolkit, std::env::args_os()));
}
