/// Answer-like texts for the benchmark: English and Japanese sentences of the kind
/// assistants write, clean, or with the personal data and secrets rules look for.
enum BenchmarkText {
    private static let english = [
        "Thanks for reaching out! Here is a summary of the steps we discussed in the meeting.",
        "First, open the settings page and choose the account you want to update.",
        "The quarterly report shows revenue growth of 12 percent compared with last year.",
        "If the build fails, run the tests again with the verbose flag to see which step broke.",
        "Our support team is available on weekdays from 9 a.m. to 6 p.m. Eastern Time.",
        "The function returns a list of items sorted by date, newest first, in version 2.4.1.",
        "Please make sure the configuration file is saved before restarting the service.",
        "In summary, the assistant recommends a gradual rollout with careful monitoring.",
    ]

    private static let japanese = [
        "お問い合わせいただきありがとうございます。以下に手順をまとめました。",
        "まず設定画面を開き、変更したいアカウントを選択してください。",
        "今期の売上は前年同期比で12パーセント増加しました。",
        "ビルドが失敗した場合は、詳細モードでテストを再実行してください。",
        "サポート窓口の受付時間は平日9時から18時までとなっております。",
        "新しいバージョンでは検索機能が改善され、結果がより早く表示されます。",
        "設定ファイルを保存してから、サービスを再起動してください。",
        "ご不明な点がございましたら、お気軽にお問い合わせください。",
    ]

    private static let findings = [
        "You can contact Taro at taro.yamada@example.co.jp for details.",
        "担当者の電話番号は090-1234-5678です。",
        "The card on file is 4111 1111 1111 1111, expiring next year.",
        "Use the key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789 only in tests.",
        "連絡先はhanako@example.jpまでお願いします。",
    ]

    /// About `bytes` bytes of alternating English and Japanese sentences; with
    /// findings, one sentence in eight carries personal data or a secret.
    static func make(bytes: Int, withFindings: Bool) -> String {
        var generator = SplitMix64(seed: 42)
        var text = ""
        var sentence = 0
        while text.utf8.count < bytes {
            let pool = sentence % 2 == 0 ? english : japanese
            let next = withFindings && sentence % 8 == 7 ? findings.randomElement(using: &generator)! : pool.randomElement(using: &generator)!
            text += (text.isEmpty ? "" : sentence % 4 == 0 ? "\n\n" : " ") + next
            sentence += 1
        }
        return text
    }
}
