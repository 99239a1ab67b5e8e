fn main() -> std::process::ExitCode {
    magistrat::cli::main()
}
