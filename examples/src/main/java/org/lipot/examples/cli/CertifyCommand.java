package org.lipot.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lipot certify}: train and evaluate certifiably robust 1-Lipschitz classifiers. */
@Command(name = "certify", mixinStandardHelpOptions = true,
        description = {"Certified robustness with 1-Lipschitz networks.",
                "train: train a classifier and certify it on the test set; eval: certify given weights."},
        subcommands = {CertifyTrainCommand.class, CertifyEvalCommand.class})
final class CertifyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
