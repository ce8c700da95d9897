"""Japanese placement script (the voice reads it through roleplay.kana)."""

from __future__ import annotations

from tutor.emulator.placement import PlacementScript, Probe

SCRIPT = PlacementScript(
    lang="ja",
    intro="レベルを見つけるために、数分話しましょう。",
    ack="わかりました。",
    easier="では、ちょっと違う質問をしますね。",
    closing="ありがとうございました。もう十分です。結果を見るには終了を押してください。",
    over="もう終わりました。結果を見るには終了を押してください。",
    probes={
        "A1": Probe(
            question="お名前は何ですか。どこに住んでいますか。",
            followup="何をするのが好きですか。",
            answer="アナです。ロンドンに住んでいます。",
            followup_answer="本を読むことと泳ぐことが好きです。",
        ),
        "A2": Probe(
            question="土曜日はいつも何をしますか。",
            followup="だれとしますか。どうして好きですか。",
            answer="土曜日は市場に行って、それから家族と一緒に昼ご飯を食べます。",
            followup_answer="妹と行きます。たくさん話せるし、おいしいものを食べられるからです。",
        ),
        "B1": Probe(
            question="とても楽しかった旅行について話してください。何がありましたか。",
            followup="どうしてそんなに特別だったんですか。",
            answer="去年、友達と京都に行って、夜のお寺を見に行きました。とてもきれいでした。",
            followup_answer="初めて一人で旅行して、親切な人にたくさん会えたので、特別な思い出になりました。",
        ),
        "B2": Probe(
            question="在宅勤務は社会にとっていいと思いますか。長所と短所を説明してください。",
            followup="その短所を解決するために、何をしますか。",
            answer="えっと、いいと思います。",
            followup_answer="わかりません。",
        ),
        "C1": Probe(
            question="日常生活で、技術はどこまで私たちの代わりに決めるべきでしょうか。",
            followup="具体的な例で説明してもらえますか。",
            answer="難しいです。",
            followup_answer="例は、ちょっと。",
        ),
        "C2": Probe(
            question="自分の国の習慣を一つ変えられるとしたら、どれを変えて、どんなニュアンスが失われると思いますか。",
            followup="その変化には思わぬ結果がありませんか。",
            answer="すみません、よくわかりません。",
            followup_answer="何と言えばいいか。",
        ),
    },
)
