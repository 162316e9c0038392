package org.lipot.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lipot sdf}: neural signed distance fields with 1-Lipschitz networks. */
@Command(name = "sdf", mixinStandardHelpOptions = true,
        description = {"Neural signed distance fields with 1-Lipschitz networks, which never overestimate the",
                "distance to their zero level set.",
                "fit: fit a field to a glyph outline or a mesh; query: signed distances at points;",
                "mesh: the zero level as OBJ; render: a field plot (2-D) or a sphere-traced view (3-D)."},
        subcommands = {SdfFitCommand.class, SdfQueryCommand.class, SdfMeshCommand.class, SdfRenderCommand.class})
final class SdfCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
