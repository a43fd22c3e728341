// A small driver for two checks that need the OWL API, run by tests/test_ontology_owl.py with the
// jars that the PyPI package owlready2 bundles (OWL API 3.4.3 and Pellet 2.3.1). It is launched as a
// single source file (`java -cp JARS OwlCheck.java MODE FILE`), so nothing is compiled into the repository.
//
//   profile FILE   the OWL API's OWL2DLProfile: one line per violation, then "violations: N"
//   pellet FILE    Pellet's consistency check: "consistent: true|false", the reason when false, then
//                  one "unsatisfiable: IRI" line per unsatisfiable named class
//
// FILE is one Turtle document; the caller merges the files it wants checked into it, because the OWL
// API's RDF parser reads declarations per document.

import java.io.File;
import java.util.List;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

import com.clarkparsia.pellet.owlapiv3.PelletReasoner;
import com.clarkparsia.pellet.owlapiv3.PelletReasonerFactory;
import org.mindswap.pellet.PelletOptions;

public class OwlCheck {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OwlCheck profile|pellet FILE");
            System.exit(2);
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[1]));
        if (args[0].equals("profile")) {
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            List<OWLProfileViolation> violations = report.getViolations();
            for (OWLProfileViolation v : violations) {
                System.out.println(v.getClass().getSimpleName() + ": " + v.toString().replace('\n', ' '));
            }
            System.out.println("violations: " + violations.size());
        } else if (args[0].equals("pellet")) {
            PelletOptions.USE_TRACING = true;  // so that an inconsistency comes with its reason
            PelletReasoner reasoner = PelletReasonerFactory.getInstance().createReasoner(ontology);
            boolean consistent = reasoner.isConsistent();
            System.out.println("consistent: " + consistent);
            if (!consistent) {
                System.out.println("reason: " + String.valueOf(reasoner.getKB().getExplanation()).replace('\n', ' '));
            } else {
                for (OWLClass c : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
                    System.out.println("unsatisfiable: " + c.getIRI());
                }
            }
            reasoner.dispose();
        } else {
            System.err.println("unknown mode: " + args[0]);
            System.exit(2);
        }
    }
}
