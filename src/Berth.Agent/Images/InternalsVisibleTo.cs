using System.Runtime.CompilerServices;

// The image builder's parsers (ELF check, Docker message mapping) are tested directly.
[assembly: InternalsVisibleTo("Berth.Agent.Tests")]
