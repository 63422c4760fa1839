import NeuralODEModels
import ReproductionKit

/// The four-panel per-epoch figure of the long experiments: training loss, an evaluation metric, forward
/// NFE and backward NFE per batch, one line per model (the layout of the paper's Figs. 5, 7 and 8).
func drawEpochCurves(
    _ results: FamilyEpochResults, families: [ModelFamily], run: RunDirectory, name: String, lossLabel: String, evalLabel: String,
    evaluation: @escaping (EpochRecord) -> Double? = { $0.testLoss }, logLoss: Bool = true
) throws {
    let histories = families.map { ($0.displayName, results.histories[$0] ?? []) }
    func series(_ pick: @escaping (EpochRecord) -> Double?) -> [FigureSeries] {
        histories.map { name, history in
            let points = history.compactMap { record in pick(record).map { (Double(record.epoch), $0) } }
            return FigureSeries(name: name, x: points.map(\.0), y: points.map(\.1))
        }
    }
    try drawFigure(FigureLayout(panels: [
        FigurePanel(title: lossLabel, xLabel: "epoch", yLabel: lossLabel, logY: logLoss, series: series { $0.trainLoss }),
        FigurePanel(title: evalLabel, xLabel: "epoch", yLabel: evalLabel, logY: logLoss, series: series(evaluation)),
        FigurePanel(title: "forward NFE per batch", xLabel: "epoch", yLabel: "NFE", series: series { $0.forwardNFE }),
        FigurePanel(title: "backward NFE per batch", xLabel: "epoch", yLabel: "NFE", series: series { $0.backwardNFE }),
    ], columns: 4, panelWidth: 400, panelHeight: 320), to: run, name: name)
}
